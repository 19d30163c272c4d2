/** A verified registry blob, kept by digest. */
export interface BlobCacheEntry {
  kind: 'blob';
  digest: string;
  bytes: number;
  lastUsed: Date;
}

/** A layer's analysis result, kept by the digest of its blob and of its tar (diff_id). */
export interface LayerResultCacheEntry {
  kind: 'layer';
  digest: string;
  diffId: string;
  bytes: number;
  lastUsed: Date;
  /** False for a result written by another version of the reader (never used; evicted first by age). */
  current: boolean;
}

/** One entry of imgscope's cache; `kind` tells the kinds apart. */
export type CacheEntry = BlobCacheEntry | LayerResultCacheEntry;

/** What `imgscope cache list` shows: where the cache is, its mode, what it holds. */
export interface CacheListing {
  location: string;
  /** Mode bits of the cache directory (0o700...), null when it does not exist yet. */
  mode: number | null;
  /** Most recently used first. */
  entries: CacheEntry[];
  totalBytes: number;
  /** The size cap of the blobs (least recently used removed past it). */
  blobsMaxBytes: number;
  /** The size cap of the layer results (least recently used removed past it). */
  layerResultsMaxBytes: number;
  /** The start's compiled code (not entries: a speed-up, rewritten when missing). */
  codeCache: { files: number; bytes: number };
  /** The digests of local archives analyzed before, one record per file (a speed-up too). */
  knownFiles: { files: number; bytes: number };
}

/** What `imgscope cache prune` removed. */
export interface CachePruneSummary {
  location: string;
  /** Blobs removed. */
  removedEntries: number;
  removedLayerResults: number;
  removedTemporaryFiles: number;
  /** Files of the start's compiled code. */
  removedCodeCacheFiles: number;
  /** Records of local files' digests. */
  removedKnownFileRecords: number;
  removedBytes: number;
}
