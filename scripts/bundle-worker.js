// Bundles the layer worker thread (src/layers/worker.ts, as tsc built it) into
// dist/layers/worker.cjs: the worker and everything it imports, the npm packages included, in one
// classic script, which dist/layers/worker-start.cjs (src/layers/worker-start.ts, bundled too)
// runs with V8's code cache. A worker then starts without Node's ES module loader and without
// compiling the reader's code again (see src/layers/layer-reader.ts). Run after tsc, before
// scripts/bundle-commands.js, which rewrites the tsc output it bundles.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { projectWithoutSideEffects } from './project-without-side-effects.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const layers = join(dist, 'layers');

/**
 * A classic script has no ES module loader of its own: an import() of one of Node's modules is
 * a require() in it (the worker's own modules, the registry client among them, are bundled).
 */
/** @type {import('esbuild').Plugin} */
const nodeImportAsRequire = {
  name: 'node-import-as-require',
  setup(builder) {
    builder.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, namespace: 'required' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'required' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * `text` with every character past ASCII written as its \uXXXX escape (esbuild escapes those of
 * strings, not those of comments and regular expressions): read as one byte a character.
 */
const ascii = (text) =>
  text.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Bundles `entry` (a file of dist/layers/) into the CommonJS script `outfile` there, import.meta.url
 * as `__importMetaUrl`, which `banner` may define.
 */
async function bundle(entry, outfile, banner = '') {
  const result = await build({
    entryPoints: [join(layers, entry)],
    outfile: join(layers, outfile),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: banner },
    plugins: [nodeImportAsRequire, projectWithoutSideEffects],
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const { path, text } of result.outputFiles)
    await writeFile(path, path.endsWith('.cjs') ? ascii(text) : text);
}

// worker.cjs runs in the scope worker-start gives it, __importMetaUrl its own URL (one directory
// under dist/ like the modules it replaces: src/layers/built-file-url.ts).
await bundle('worker.js', 'worker.cjs');
// worker-start.cjs is what Node runs: a CommonJS module of its own, with a __filename.
await bundle(
  'worker-start.js',
  'worker-start.cjs',
  "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
);
