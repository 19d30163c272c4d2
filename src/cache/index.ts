export {
  LayerResultCache,
  DEFAULT_LAYER_CACHE_MAX_BYTES,
  type LayerResultCacheOptions,
  type StoredLayerResult,
} from './layer-result-cache.js';
export {
  listDir,
  processAlive,
  sweepOrphans,
  temporaryOwner,
  temporaryPath,
  writeEntry,
} from './cache-files.js';
export { codeCacheUsage, pruneCodeCache } from './code-cache-files.js';
export { removeLeastRecentlyUsed, removeUnused, type UsedFile } from './least-recently-used.js';
export { KnownFiles, knownFilesUsage, pruneKnownFiles, type TarMember } from './known-files.js';
