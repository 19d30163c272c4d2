/**
 * A file of dist/ (`path` relative to it), wherever in dist/ the calling module was built into:
 * its own directory, or a bundle (dist/commands/analyze.js, dist/commands/audit/index.js,
 * dist/chunks/). From the sources (tsx, the tests), a module one directory below src/ finds the
 * same path under src/, whatever the checkout's own path holds.
 */
export function builtFileUrl(moduleUrl: string, path: string): URL {
  const dist = moduleUrl.endsWith('.ts') ? -1 : moduleUrl.lastIndexOf('/dist/');
  if (dist < 0) return new URL(`../${path}`, moduleUrl);
  return new URL(`${moduleUrl.slice(0, dist)}/dist/${path}`);
}
