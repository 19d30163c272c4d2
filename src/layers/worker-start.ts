/**
 * The layer worker's entry in dist/ (bundled by scripts/bundle-worker.js into worker-start.cjs,
 * beside worker.cjs, the worker and everything it imports in one classic script): runs worker.cjs
 * with V8's code cache (src/cli/code-cache.ts), as bin/run.js runs the commands, so that a
 * worker's start neither parses nor compiles the reader's code, nor loads Node's ES module
 * loader. The code compiled by the first layer read is kept for the next runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_CACHE_DIR, defaultCacheRoot } from '../cache/cache-root.js';
import { codeCacheAvailable, codeCachePath, loadCommonJsBundle } from '../cli/code-cache.js';
import type { serveLayerJobs } from './worker.js';

/** The name of the worker's code cache beside the commands' (see `cache list`). */
const CODE_CACHE_KEY = 'layer-worker';

const file = join(dirname(fileURLToPath(import.meta.url)), 'worker.cjs');
const bytes = readFileSync(file);
const cachePath = codeCacheAvailable()
  ? codeCachePath(join(defaultCacheRoot(), CODE_CACHE_DIR), file, bytes, CODE_CACHE_KEY)
  : null;
const bundle = loadCommonJsBundle<{ serveLayerJobs: typeof serveLayerJobs }>(
  file,
  bytes,
  cachePath,
  createRequire(file),
);
bundle.exports.serveLayerJobs(bundle.store);
