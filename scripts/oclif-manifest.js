// Writes oclif.manifest.json from the built commands (run by `npm run build`). With it oclif
// reads one JSON file at start-up instead of importing every command to learn its flags, so
// `imgscope --version`, `help` and `cache` start without loading the analysis code. The
// `oclif manifest` command does the same, but needs the whole `oclif` package.
import { Plugin } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = new Plugin({
  root,
  type: 'core',
  isRoot: true,
  ignoreManifest: true,
  errorOnManifestCreate: true,
});
await plugin.load();
await writeFile(
  new URL('../oclif.manifest.json', import.meta.url),
  JSON.stringify(plugin.manifest, null, 2) + '\n',
);
