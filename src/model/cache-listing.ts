/** A verified registry blob, kept by digest. */
export interface BlobCacheEntry {
  kind: 'blob';
  digest: string;
  bytes: number;
  lastUsed: Date;
}

/** One entry of imgscope's cache; `kind` tells the kinds apart as more are cached. */
export type CacheEntry = BlobCacheEntry;

/** What `imgscope cache list` shows: where the cache is, its mode, what it holds. */
export interface CacheListing {
  location: string;
  /** Mode bits of the cache directory (0o700...), null when it does not exist yet. */
  mode: number | null;
  /** Most recently used first. */
  entries: CacheEntry[];
  totalBytes: number;
}

/** What `imgscope cache prune` removed. */
export interface CachePruneSummary {
  location: string;
  removedEntries: number;
  removedTemporaryFiles: number;
  removedBytes: number;
}
