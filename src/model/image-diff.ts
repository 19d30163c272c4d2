import type { Finding } from './finding.js';
import type { Platform } from './descriptor.js';
import type { PackageEcosystem } from './package.js';

/** One compared figure: before, after and the change. */
export interface DeltaRow {
  before: number | null;
  after: number | null;
  delta: number | null;
  /** delta / before as a fraction; null where before is 0 or unknown. */
  percent: number | null;
}

export interface DiffSummary {
  sizeBytes: DeltaRow;
  compressedSizeBytes: DeltaRow;
  layerCount: DeltaRow;
  efficiency: DeltaRow;
  wastedBytes: DeltaRow;
  reclaimableBytes: DeltaRow;
  user: { before: string; after: string };
  platform: { before: Platform | null; after: Platform | null };
}

export type LayerDiffStatus = 'unchanged' | 'changed' | 'added' | 'removed';

/** A layer of either side, aligned by content (diffID) and by the command that made it. */
export interface LayerDiffRow {
  status: LayerDiffStatus;
  beforeIndex: number | null;
  afterIndex: number | null;
  createdBy: string;
  beforeSizeBytes: number | null;
  afterSizeBytes: number | null;
}

export interface LayerDiff {
  /** How many leading layers both images share (same diffIDs): the unchanged base. */
  sharedPrefixLayers: number;
  sharedPrefixBytes: number;
  /** Index (in both images) of the first layer that differs; null when none does. */
  firstDivergence: number | null;
  /** The layers after the shared prefix, aligned. */
  rows: LayerDiffRow[];
  /** Set when a small early change forced larger later layers to be rebuilt. */
  rebuildCascade: {
    changedCommand: string;
    changedBytes: number;
    rebuiltLayers: number;
    rebuiltBytes: number;
  } | null;
}

export type FileChangeKind = 'added' | 'removed' | 'modified';

export interface FileChange {
  path: string;
  kind: FileChangeKind;
  beforeSizeBytes: number | null;
  afterSizeBytes: number | null;
  /** For modified files: what differs. */
  changed: ('content' | 'size' | 'mode' | 'owner' | 'type')[];
}

export interface DirectoryTotal {
  path: string;
  deltaBytes: number;
  added: number;
  removed: number;
  modified: number;
}

export interface FilesDiff {
  added: number;
  removed: number;
  modified: number;
  addedBytes: number;
  removedBytes: number;
  /** Sorted by the size of the change, largest first; the largest few when the diff kept only those. */
  changes: FileChange[];
  directories: DirectoryTotal[];
}

/** Findings of both images matched by rule id and location (the step, or else the path). */
export interface FindingsDiff {
  fixed: Finding[];
  introduced: Finding[];
  unchanged: Finding[];
  /** What the before image's findings said fixing them would save. */
  predictedSavingsBytes: number;
  /** What the after image's findings say is still to win. */
  remainingSavingsBytes: number;
}

export type PackageChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded';

/** A package that one image has and the other not, or has at another version. */
export interface PackageChange {
  kind: PackageChangeKind;
  ecosystem: PackageEcosystem;
  name: string;
  beforeVersion: string | null;
  afterVersion: string | null;
  beforeSizeBytes: number | null;
  afterSizeBytes: number | null;
  deltaBytes: number;
  /** For semver ecosystems (npm): `major`, `minor`, `patch` or a pre-release kind. */
  semverChange: string | null;
}

export interface PackagesDiff {
  added: number;
  removed: number;
  upgraded: number;
  downgraded: number;
  /** The byte change of the packages listed. */
  deltaBytes: number;
  /** Largest byte change first. */
  changes: PackageChange[];
}

export interface ImageDiff {
  summary: DiffSummary;
  layers: LayerDiff;
  files: FilesDiff;
  findings: FindingsDiff;
  packages: PackagesDiff;
}
