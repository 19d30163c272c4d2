import {
  codeCacheUsage,
  knownFilesUsage,
  LayerResultCache,
  pruneCodeCache,
  pruneKnownFiles,
} from '../cache/index.js';
import type { CacheEntry, CacheListing, CachePruneSummary } from '../model/index.js';
import { BlobCache, defaultCacheRoot } from '../registry/blob-cache.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CacheLocation {
  root?: string;
  /** The size caps to report (the defaults where absent). */
  caps?: { layerResults?: number | undefined; blobs?: number | undefined };
}

/** Everything the cache holds (registry blobs and layer results, most recently used first; the start's compiled code). */
export async function listCache(location: CacheLocation = {}): Promise<CacheListing> {
  const root = location.root ?? defaultCacheRoot();
  const cache = new BlobCache(root, { maxBytes: location.caps?.blobs });
  const layers = new LayerResultCache(root, { maxBytes: location.caps?.layerResults });
  const entries: CacheEntry[] = [
    ...(await cache.list()).map((blob): CacheEntry => ({ kind: 'blob', ...blob })),
    ...(await layers.list()).map((layer): CacheEntry => ({ kind: 'layer', ...layer })),
  ];
  entries.sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime() || a.digest.localeCompare(b.digest));
  return {
    location: root,
    mode: await cache.directoryMode(),
    entries,
    totalBytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
    blobsMaxBytes: cache.maxBytes,
    layerResultsMaxBytes: layers.maxBytes,
    codeCache: await codeCacheUsage(root),
    knownFiles: await knownFilesUsage(root),
  };
}

/** Empties the cache (blobs, layer results, compiled code, known files), or removes what was not used for `olderThanDays` days. */
export async function pruneCache(
  options: { olderThanDays?: number; root?: string } = {},
): Promise<CachePruneSummary> {
  const root = options.root ?? defaultCacheRoot();
  const age = options.olderThanDays === undefined ? {} : { olderThanMs: options.olderThanDays * DAY_MS };
  const layers = await new LayerResultCache(root).prune(age);
  const blobs = await new BlobCache(root).prune(age);
  const code = await pruneCodeCache(root, age);
  const known = await pruneKnownFiles(root, age);
  return {
    location: root,
    ...blobs,
    removedLayerResults: layers.entries,
    removedCodeCacheFiles: code.files,
    removedKnownFileRecords: known.files,
    removedBytes: blobs.removedBytes + layers.bytes + code.bytes + known.bytes,
  };
}
