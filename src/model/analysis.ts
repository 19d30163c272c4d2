import type { Platform } from './descriptor.js';
import type { ImageConfig } from './image-config.js';
import type { LayerContents } from './layer-entry.js';
import type { PackageInventory } from './package.js';

export type SourceKind = 'docker-archive' | 'oci-layout' | 'oci-archive' | 'registry' | 'docker-daemon';

/** A multi-platform index: its digest (null for an OCI layout's index.json) and every platform it has. */
export interface PlatformIndex {
  digest: string | null;
  platforms: Platform[];
}

/** What an image is, independent of its contents. */
export interface ImageInfo {
  reference: string;
  source: SourceKind;
  /** Manifest digest, where the source has a manifest. */
  digest: string | null;
  /** Config digest (Docker's image ID), where known. */
  id: string | null;
  platform: Platform | null;
  user: string;
  /** The multi-platform index the image was chosen from; absent for a single-platform image. */
  index?: PlatformIndex;
}

/** dive's per-path waste record: a path seen as a leaf in two or more layers. */
export interface InefficientFile {
  path: string;
  count: number;
  wastedBytes: number;
}

/** dive-compatible metrics (docs/architecture.md, "The numbers: two families"). */
export interface DiveMetrics {
  efficiency: number;
  sizeBytes: number;
  userSizeBytes: number;
  wastedBytes: number;
  /** wasted / user bytes; null where user bytes are 0 (dive's NaN). */
  userWastedPercent: number | null;
  inefficientFiles: InefficientFile[];
}

/** What one layer did to the filesystem below it. Counts are of non-directory entries. */
export interface LayerChanges {
  addedFiles: number;
  addedBytes: number;
  /** Paths that existed below and were written again (content or metadata). */
  modifiedFiles: number;
  modifiedBytes: number;
  /** Of the modified ones, those whose content is identical and only mode/owner/type-bits changed. */
  metadataOnlyFiles: number;
  metadataOnlyBytes: number;
  removedFiles: number;
  /** Bytes visible below that this layer hid (whiteouts, opaque directories, replaced files). */
  removedBytes: number;
}

export interface LayerReport {
  index: number;
  diffId: string | null;
  /** Digest of the blob as stored (compressed), where the source names one. */
  digest: string | null;
  createdBy: string;
  /** createdBy as dive shows it ("/bin/sh -c " removed). */
  command: string;
  sizeBytes: number;
  compressedSizeBytes: number | null;
  fileCount: number;
  changes: LayerChanges;
}

export interface HistoryReport {
  createdBy: string;
  created: string | null;
  emptyLayer: boolean;
  layerIndex: number | null;
  comment: string | null;
}

/** A file of the final (merged) filesystem. */
export interface MergedFile {
  path: string;
  type: 'file' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
  uid: number;
  gid: number;
  contentHash: string | null;
  linkTarget: string | null;
  /** Layer that wrote this version of the path. */
  layerIndex: number;
}

/** The fields of a final file that `FileList.peek` writes (one object, reused across lookups). */
export type FilePeek = Pick<MergedFile, 'type' | 'size' | 'linkTarget' | 'layerIndex'>;

/** The final filesystem's files in path order, built from the layers' entry tables on demand. */
export interface FileList extends Iterable<MergedFile> {
  readonly length: number;
  has(path: string): boolean;
  /** The file at exactly `path` (no symlink is followed); undefined for directories and absent paths. */
  get(path: string): MergedFile | undefined;
  /**
   * `get`'s type, size, link target and layer for `path`, written into `into` without building a
   * MergedFile; false (`into` untouched) where `get` gives undefined. For callers that look up
   * thousands of paths and read only these (the package inventory weighs every listed file).
   */
  peek(path: string, into: FilePeek): boolean;
  /** Whether `path` is a directory of the final filesystem (not the root): no file is there or below a symlink on its way. */
  isDirectory(path: string): boolean;
  /** The files below directory `path` ("/usr/lib/node_modules/x"), in path order. */
  under(path: string): Iterable<MergedFile>;
}

/** A stored entry: its layer, and its index in that layer's entry table. */
export interface EntryRef {
  layer: number;
  index: number;
}

/** What became of a stored entry in the layers above it (or later in its own); `R` names an entry. */
export type EntryFate<R = EntryRef> =
  | { kind: 'visible' }
  /** A whiteout or opaque directory removed it. */
  | { kind: 'deleted'; by: number }
  /** Another entry took its path (`replacement`), or a directory did (null). */
  | { kind: 'replaced'; by: number; replacement: R | null }
  /** The same bytes written again (same content hash): only metadata changed. */
  | { kind: 'rewritten'; by: number; replacement: R };

/** The fates of the stored files, links and special entries (directories and markers have none). */
export interface EntryFates {
  of(entry: EntryRef): EntryFate;
  /** Whether the entry is still visible (its fate's kind is `visible`), without building its fate. */
  isVisible(layer: number, index: number): boolean;
  /** Marks in `into` (by index) every entry of `layer` no longer visible; `into` is the layer's length. */
  markHidden(layer: number, into: Uint8Array): void;
}

/** The accurate metrics: what squashing would win, and the final filesystem. */
export interface FilesystemMetrics {
  /** Bytes of regular-file content stored across all layers. */
  storedBytes: number;
  /** Bytes of regular-file content visible in the final filesystem (hard links counted once). */
  visibleBytes: number;
  reclaimableBytes: number;
  layerChanges: LayerChanges[];
  finalFiles: FileList;
  fates: EntryFates;
  /** Entries applied in the only way they can be, though they cannot mean what they say. */
  warnings: string[];
}

export interface Analysis {
  image: ImageInfo;
  config: ImageConfig;
  layers: LayerReport[];
  history: HistoryReport[];
  dive: DiveMetrics;
  sizeBytes: number;
  compressedSizeBytes: number | null;
  reclaimableBytes: number;
  /** The raw per-layer entries, for rules that need more than the metrics. */
  contents: LayerContents[];
  finalFiles: FileList;
  fates: EntryFates;
  /** Installed packages (dpkg, apk, rpm, Python, npm) with their bytes in the final filesystem. */
  packages: PackageInventory;
  warnings: string[];
  /** Set by --no-layers: built from the manifest and config only; file metrics were not computed. */
  metadataOnly?: boolean;
}
