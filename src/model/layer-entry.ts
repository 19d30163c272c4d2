import type { EntryTable } from './entry-table.js';

/** What a tar entry of a layer is, after whiteout markers have been recognised. */
export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'whiteout' | 'opaque' | 'other';

/**
 * One entry of a layer tar. `path` is absolute and normalised ("/etc/passwd"); for a whiteout it
 * is the path it deletes, for an opaque marker the directory it makes opaque.
 */
export interface LayerEntry {
  path: string;
  type: EntryType;
  /** Size from the tar header (0 for directories, links and markers). */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Target of a symlink (as written) or of a hard link (normalised absolute path). */
  linkTarget?: string;
  /**
   * A regular file's content hash, for identity only (a keyed hash, src/layers/content-hash.ts;
   * EMPTY_CONTENT_HASH for an empty file); for a hard link, its target's when the layer has it.
   */
  contentHash?: string;
  /** Kinds of credential found in the body of a likely secret file (`private-key`, `npm-token`...); never the value. */
  secretKinds?: string[];
  /** For /etc/passwd and /etc/group: each name with its numeric uid or gid. */
  accountIds?: [string, number][];
  /** For package metadata (dpkg status, RECORD, package.json...): the whole body, for the inventory. */
  packageMetadata?: Buffer;
}

/** Everything read from one layer blob. */
export interface LayerContents {
  entries: EntryTable;
  /** Sum of the tar-header sizes of every entry (dive's layer size). */
  tarSizeBytes: number;
  /** Bytes of the uncompressed tar stream. */
  uncompressedBytes: number;
  /** Bytes of the blob as stored (compressed where it is). */
  storedBytes: number;
  compression: Compression;
  /** Entries that were read but not applied, e.g. paths escaping the root. */
  warnings: string[];
  /** The id of the key the content hashes were made under: only hashes of one key are compared. */
  contentKeyId: string;
}

export type Compression = 'gzip' | 'zstd' | 'none';
