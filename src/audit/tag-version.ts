import semver from 'semver';

/** A tag read as a version the way Renovate's docker versioning reads it. */
export interface TagVersion {
  /** The coerced semver: `1.25` is `1.25.0`, `3.10rc1` is `3.10.0-rc1`. */
  version: string;
  /** Everything after the first `-` (`alpine`, `slim-bookworm`), '' for none. */
  variant: string;
}

/**
 * `[v]N[.N[.N]][PRERELEASE][-VARIANT]`: up to three numbers, letters and digits glued to them
 * as a prerelease, the rest after the first hyphen as a variant (an image's platform or
 * flavour, never a semver prerelease). Anything else (`latest`, `1.2.3.4`, `sha-abc`) is not a
 * version.
 */
export function parseTagVersion(tag: string): TagVersion | null {
  const bare = tag.startsWith('v') ? tag.slice(1) : tag;
  const dash = bare.indexOf('-');
  const head = dash < 0 ? bare : bare.slice(0, dash);
  const match = /^(\d+(?:\.\d+){0,2})([A-Za-z0-9]*)$/.exec(head);
  if (match === null) return null;
  const numbers = (match[1] ?? '').split('.').map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return null;
  while (numbers.length < 3) numbers.push(0);
  const prerelease = match[2] ?? '';
  const version = semver.valid(`${numbers.join('.')}${prerelease === '' ? '' : `-${prerelease}`}`);
  if (version === null) return null;
  return { version, variant: dash < 0 ? '' : bare.slice(dash + 1) };
}
