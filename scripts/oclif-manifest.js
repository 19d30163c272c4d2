// Writes oclif.manifest.json after the build (what `oclif manifest` does): with it, oclif finds
// a command's flags and file without importing every command at start-up, so `imgscope analyze`
// loads only the analyze command and what it needs.
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';
import { Plugin } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = new URL('../oclif.manifest.json', import.meta.url);
await rm(file, { force: true });
const plugin = new Plugin({
  root,
  type: 'core',
  isRoot: true,
  ignoreManifest: true,
  errorOnManifestCreate: true,
  respectNoCacheDefault: true,
});
await plugin.load();
await writeFile(file, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
