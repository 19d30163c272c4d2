// Bundles the layer worker thread (src/layers/worker.ts, as tsc built it) into
// dist/layers/worker.cjs: the worker and everything it imports, the npm packages included, in one
// classic script, which dist/layers/worker-start.cjs (src/layers/worker-start.ts, bundled too)
// runs with V8's code cache. A worker then starts without Node's ES module loader and without
// compiling the reader's code again (see src/layers/layer-reader.ts). Run after tsc, before
// scripts/bundle-commands.js, which rewrites the tsc output it bundles.
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import {
  classicScriptOptions,
  importAsRequire,
  projectWithoutSideEffects,
  writeClassicScripts,
} from './classic-script-bundling.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const layers = join(dist, 'layers');

/**
 * Bundles `entry` (a file of dist/layers/) into the CommonJS script `outfile` there, import.meta.url
 * as `__importMetaUrl`, which `banner` may define; written as the function `loadCommonJsBundle`
 * runs where `asFunction` (writeClassicScripts).
 */
async function bundle(entry, outfile, asFunction, banner = '') {
  const result = await build({
    entryPoints: [join(layers, entry)],
    outfile: join(layers, outfile),
    ...classicScriptOptions,
    banner: { js: banner },
    plugins: [importAsRequire(() => false), projectWithoutSideEffects],
    sourcemap: true,
    logLevel: 'warning',
  });
  await writeClassicScripts(result.outputFiles, { asFunction });
}

// worker.cjs runs in the scope worker-start gives it, __importMetaUrl its own URL (one directory
// under dist/ like the modules it replaces: src/layers/built-file-url.ts).
await bundle('worker.js', 'worker.cjs', true);
// worker-start.cjs is what Node runs: a CommonJS module of its own, with a __filename.
await bundle(
  'worker-start.js',
  'worker-start.cjs',
  false,
  "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
);
