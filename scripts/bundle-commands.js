// Bundles each built command (dist/commands/**/*.js) and the layer worker with the project
// modules they import, in place: one file to load instead of ~150 small ES modules saves about
// 0.2 s of CPU at every start. npm packages stay external (oclif loads the command; @oclif/core
// must be the one instance). tsc's other output stays for the library entry and the tests.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

async function commandFiles(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await commandFiles(path)));
    else if (entry.name.endsWith('.js')) found.push(path);
  }
  return found;
}

const entryPoints = [...(await commandFiles(join(dist, 'commands'))), join(dist, 'layers/worker.js')];
await build({
  entryPoints,
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Maps back to the TypeScript sources through tsc's maps, as the unbundled files did.
  sourcemap: true,
  logLevel: 'warning',
});
