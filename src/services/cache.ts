import type { CacheEntry, CacheListing, CachePruneSummary } from '../model/index.js';
import { BlobCache, defaultCacheRoot } from '../registry/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Everything the cache holds, most recently used first. */
export async function listCache(root: string = defaultCacheRoot()): Promise<CacheListing> {
  const cache = new BlobCache(root);
  const entries: CacheEntry[] = (await cache.list()).map((blob) => ({ kind: 'blob', ...blob }));
  entries.sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime() || a.digest.localeCompare(b.digest));
  return {
    location: root,
    mode: await cache.directoryMode(),
    entries,
    totalBytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
  };
}

/** Empties the cache, or removes what was not used for `olderThanDays` days. */
export async function pruneCache(
  options: { olderThanDays?: number; root?: string } = {},
): Promise<CachePruneSummary> {
  const cache = new BlobCache(options.root ?? defaultCacheRoot());
  const result = await cache.prune(
    options.olderThanDays === undefined ? {} : { olderThanMs: options.olderThanDays * DAY_MS },
  );
  return { location: cache.root, ...result };
}
