/**
 * The data an HTML report page is built from: encoded in Node (src/render), decoded in the
 * browser (src/web). Compact on purpose: a 100,000-file image must stay a file a CI job keeps.
 * Paths are a tree of nodes (each a name and a parent), so a path's text is stored once
 * however many layers hold it; per-entry columns are plain number arrays.
 */
export const PAGE_DATA_VERSION = 1;

/** Entry type codes in PageEntries.type: EntryType's values, written out because the browser
 * bundle cannot import entry-table.ts (it uses Node's Buffer). */
export const PAGE_ENTRY_TYPES = [
  'file',
  'directory',
  'symlink',
  'hardlink',
  'whiteout',
  'opaque',
  'other',
] as const;
/** Change codes in PageEntries.change (as ENTRY_CHANGES of the analysis). */
export const PAGE_CHANGES = ['added', 'modified', 'metadata-only', 'removed', 'unchanged'] as const;
/** Fate codes in PageHidden.fate: what hid a stored entry. */
export const PAGE_FATES = ['deleted', 'replaced', 'rewritten'] as const;

/** The path tree: node 0 is the root "/"; every other node names one path segment under its parent. */
export interface PagePaths {
  names: string[];
  /** Per node: index into names. */
  name: number[];
  /** Per node: its parent's node (-1 for the root). */
  parent: number[];
}

/** One layer's entries, column by column, in tar order. */
export interface PageEntries {
  node: number[];
  type: number[];
  size: number[];
  /** Per entry: index into AnalysisPageData.owners (mode, uid and gid repeat across most entries). */
  owner: number[];
  change: number[];
  /** The few entries with a link target: [entry index, index into AnalysisPageData.links], flattened. */
  links: number[];
}

/** Stored file bytes that are not visible in the final filesystem. */
export interface PageHidden {
  node: number[];
  size: number[];
  layer: number[];
  /** Index into PAGE_FATES. */
  fate: number[];
}

export interface PageLayer {
  index: number;
  command: string;
  createdBy: string;
  sizeBytes: number;
  compressedSizeBytes: number | null;
  fileCount: number;
  /** Bytes of this layer's files that a later layer overwrote or deleted. */
  hiddenBytes: number;
  addedBytes: number;
  modifiedBytes: number;
  removedBytes: number;
}

export interface PageStep {
  createdBy: string;
  emptyLayer: boolean;
  layerIndex: number | null;
}

export interface PageFinding {
  id: string;
  severity: string;
  title: string;
  message: string;
  layerIndex: number | null;
  savingsBytes: number;
  paths: { path: string; sizeBytes: number }[];
  pathsOmitted: number;
  advice: string;
  /** The Dockerfile change, where the page shows it with the finding (null when `fix` holds it). */
  before: string | null;
  after: string | null;
  /** Index in the page's `fixes` of the fix that settles this finding (the analyze page). */
  fix: number | null;
}

/** A rewritten instruction for one history step (all findings on that step combined). */
export interface PageFix {
  /** "Layer 1", "Layers 5, 6", or "" for a step that made no layer (USER, ENV). */
  step: string;
  before: string;
  after: string;
  /** The findings it settles: "#1 apt-lists-left" (numbered as the page lists them). */
  findings: string[];
  savingsBytes: number;
}

/** Label and value pairs shown as the page's summary, in order. */
export type PageSummary = [label: string, value: string][];

export interface PageGateRule {
  name: string;
  status: string;
  detail: string;
}

export interface AnalysisPageData {
  version: typeof PAGE_DATA_VERSION;
  kind: 'analysis';
  title: string;
  summary: PageSummary;
  gate: { passed: boolean; rules: PageGateRule[] } | null;
  paths: PagePaths;
  links: string[];
  /** Distinct [mode, uid, gid] triples. */
  owners: [mode: number, uid: number, gid: number][];
  layers: PageLayer[];
  steps: PageStep[];
  /** The final filesystem is not stored: the page stacks the layers (src/web/file-tree.ts). */
  entries: PageEntries[];
  hidden: PageHidden;
  findings: PageFinding[];
  fixes: PageFix[];
}

export interface PageLayerRow {
  status: string;
  beforeIndex: number | null;
  afterIndex: number | null;
  createdBy: string;
  beforeSizeBytes: number | null;
  afterSizeBytes: number | null;
}

/** Changed files of a diff: node, kind (added/removed/modified), sizes before and after (-1: none). */
export interface PageFileChanges {
  node: number[];
  kind: number[];
  before: number[];
  after: number[];
}

export const PAGE_FILE_CHANGE_KINDS = ['added', 'removed', 'modified'] as const;

export interface DiffPageData {
  version: typeof PAGE_DATA_VERSION;
  kind: 'diff';
  title: string;
  summary: [label: string, before: string, after: string, delta: string][];
  paths: PagePaths;
  layers: PageLayerRow[];
  files: PageFileChanges;
  findings: { fixed: PageFinding[]; introduced: PageFinding[]; unchanged: PageFinding[] };
}

export type PageData = AnalysisPageData | DiffPageData;
