// Bundles the start-up path in place: bin/run.js's dist/cli/main.js, each built command
// (dist/commands/**/*.js), the command_not_found hook and the layer worker, with the project
// modules and the npm packages they import, @oclif/core among them. Code they share goes to
// dist/chunks/ (esbuild's code splitting), so oclif, loaded by main.js, and the command it runs
// share one instance of @oclif/core, as they did unbundled. Loading a few files instead of ~300
// small modules (oclif alone is ~70, semver ~50) is most of what a start costs on Node 20.
// tsc's other output stays for the library entry and the tests.
import { cp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * Packages left in node_modules: sql.js finds its .wasm beside itself; the autocomplete plugin
 * is oclif's to load; typescript, ts-node and source-map-support are what oclif would use for a
 * development run from sources, never here. `debug` is bundled: oclif, the proxy agents and our
 * modules all import it, so the chunks hold the one copy src/cli/debug-output.ts redacts.
 */
const EXTERNAL = new Set([
  'sql.js',
  '@oclif/plugin-autocomplete',
  'typescript',
  'ts-node',
  'source-map-support',
]);

const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** @type {import('esbuild').Plugin} */
const keepExternal = {
  name: 'keep-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      EXTERNAL.has(packageName(args.path)) ? { path: args.path, external: true } : undefined,
    );
  },
};

/**
 * Our modules only declare (no module runs code on import for another's sake), so one whose
 * exports a bundle does not use is left out with its imports: `analyze` of a local file then
 * never loads the registry client nor node:http, which the barrels (src/registry/index.ts)
 * would otherwise pull in.
 */
/** @type {import('esbuild').Plugin} */
const projectWithoutSideEffects = {
  name: 'project-without-side-effects',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.importer === '' || !args.importer.startsWith(dist) || args.pluginData === 'resolving')
        return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(dist)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

async function jsFiles(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await jsFiles(path)));
    else if (entry.name.endsWith('.js')) found.push(path);
  }
  return found;
}

const entryPoints = [
  join(dist, 'cli/main.js'),
  join(dist, 'cli/hooks/command-not-found.js'),
  join(dist, 'layers/worker.js'),
  ...(await jsFiles(join(dist, 'commands'))),
];
// Chunks of an earlier build would otherwise pile up (their names carry a content hash).
await rm(join(dist, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints,
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [keepExternal, projectWithoutSideEffects],
  // The CommonJS packages bundled here (oclif and its dependencies) call require() for Node's
  // modules and the packages left external: an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
  // Maps back to the TypeScript sources through tsc's maps, as the unbundled files did.
  sourcemap: true,
  logLevel: 'warning',
});

// The zstd decoder's WebAssembly, which tsc does not copy: src/layers/wasm-zstd.ts finds it under
// dist/layers/ from whichever bundle it was built into.
const zstdWasm = fileURLToPath(new URL('../src/layers/zstd-wasm/', import.meta.url));
await cp(zstdWasm, join(dist, 'layers/zstd-wasm'), { recursive: true });
