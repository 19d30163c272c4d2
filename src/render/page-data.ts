import {
  PAGE_DATA_VERSION,
  PAGE_ENTRY_TYPES,
  PAGE_FATES,
  PAGE_FILE_CHANGE_KINDS,
  knownImageSize,
  type Analysis,
  type AnalysisPageData,
  type DiffPageData,
  type Finding,
  type FindingsReport,
  type GateResult,
  type ImageDiff,
  type PageEntries,
  type PageFinding,
  type PageFix,
  type PagePaths,
  type StepFix,
} from '../model/index.js';
import { summaryRows } from './diff-rows.js';
import { formatBytes, formatPercent, platformText } from './format.js';

/** Interns paths as a tree of nodes: a path's text is stored once, however many entries hold it. */
export class PathTree {
  readonly paths: PagePaths = { names: [''], name: [0], parent: [-1] };
  readonly #nodes = new Map<string, number>([['/', 0]]);
  readonly #names = new Map<string, number>([['', 0]]);

  node(path: string): number {
    const known = this.#nodes.get(path);
    if (known !== undefined) return known;
    const slash = path.lastIndexOf('/');
    const parent = this.node(slash <= 0 ? '/' : path.slice(0, slash));
    const segment = path.slice(slash + 1);
    let name = this.#names.get(segment);
    if (name === undefined) {
      name = this.paths.names.push(segment) - 1;
      this.#names.set(segment, name);
    }
    const id = this.paths.name.push(name) - 1;
    this.paths.parent.push(parent);
    this.#nodes.set(path, id);
    return id;
  }
}

/** Interns values (link targets, owner triples) into a list, by a text key. */
class InternTable<T> {
  readonly list: T[] = [];
  readonly #index = new Map<string, number>();

  index(key: string, value: T): number {
    let found = this.#index.get(key);
    if (found === undefined) {
      found = this.list.push(value) - 1;
      this.#index.set(key, found);
    }
    return found;
  }
}

const TYPE_CODES = new Map<string, number>(PAGE_ENTRY_TYPES.map((type, code) => [type, code]));
const FATE_CODES = new Map<string, number>(PAGE_FATES.map((fate, code) => [fate, code]));

export interface AnalysisPageInput {
  analysis: Analysis;
  findings: FindingsReport;
  gate: GateResult | null;
  /** Per layer, per entry: what the entry changed (codes of PAGE_CHANGES). */
  changeCodes: Uint8Array[];
}

/** The analyze page's data: summary, layers, every layer's entries, the hidden files, findings. */
export function analysisPageData(input: AnalysisPageInput): AnalysisPageData {
  const { analysis, findings, gate } = input;
  const tree = new PathTree();
  const links = new InternTable<string>();
  const owners = new InternTable<[number, number, number]>();
  const hidden = { node: [] as number[], size: [] as number[], layer: [] as number[], fate: [] as number[] };
  const hiddenBytes = analysis.layers.map(() => 0);
  const entries = analysis.contents.map((layer, layerIndex): PageEntries => {
    const table = layer.entries;
    const codes = input.changeCodes[layerIndex];
    const columns: PageEntries = { node: [], type: [], size: [], owner: [], change: [], links: [] };
    for (let index = 0; index < table.length; index++) {
      const type = table.type(index);
      const node = tree.node(table.path(index));
      const size = table.size(index);
      const target = table.linkTarget(index);
      columns.node.push(node);
      columns.type.push(TYPE_CODES.get(type) ?? PAGE_ENTRY_TYPES.length - 1);
      columns.size.push(size);
      const owner: [number, number, number] = [table.mode(index), table.uid(index), table.gid(index)];
      columns.owner.push(owners.index(owner.join(':'), owner));
      columns.change.push(codes?.[index] ?? 0);
      if (target !== undefined) columns.links.push(index, links.index(target, target));
      if (type !== 'file') continue;
      const fate = analysis.fates.of({ layer: layerIndex, index });
      if (fate.kind === 'visible') continue;
      hidden.node.push(node);
      hidden.size.push(size);
      hidden.layer.push(layerIndex);
      hidden.fate.push(FATE_CODES.get(fate.kind) ?? 0);
      hiddenBytes[layerIndex] = (hiddenBytes[layerIndex] ?? 0) + size;
    }
    return columns;
  });
  const image = analysis.image;
  const fixOf = new Map<number, number>();
  findings.fixes.forEach((fix, at) => fix.findings.forEach((settled) => fixOf.set(settled.index, at)));
  return {
    version: PAGE_DATA_VERSION,
    kind: 'analysis',
    title: image.reference,
    summary: analysisSummary(analysis, gate),
    gate:
      gate === null
        ? null
        : {
            passed: gate.passed,
            rules: gate.rules.map((rule) => ({ name: rule.id, status: rule.status, detail: rule.message })),
          },
    paths: tree.paths,
    links: links.list,
    owners: owners.list,
    layers: analysis.layers.map((layer) => ({
      index: layer.index,
      command: layer.command,
      createdBy: layer.createdBy,
      sizeBytes: layer.sizeBytes,
      compressedSizeBytes: layer.compressedSizeBytes,
      fileCount: layer.fileCount,
      hiddenBytes: hiddenBytes[layer.index] ?? 0,
      addedBytes: layer.changes.addedBytes,
      modifiedBytes: layer.changes.modifiedBytes,
      removedBytes: layer.changes.removedBytes,
    })),
    steps: analysis.history.map((step) => ({
      createdBy: step.createdBy,
      emptyLayer: step.emptyLayer,
      layerIndex: step.layerIndex,
    })),
    entries,
    hidden,
    findings: findings.findings.map((finding, index) => pageFinding(finding, fixOf.get(index))),
    fixes: findings.fixes.map(pageFix),
  };
}

/** The summary rows of the analyze page (also its script-free HTML). */
export function analysisSummary(analysis: Analysis, gate: GateResult | null): [string, string][] {
  const image = analysis.image;
  const rows: [string, string][] = [
    ['Image', image.reference],
    ['Source', image.source],
  ];
  if (image.digest !== null) rows.push(['Digest', image.digest]);
  if (image.id !== null) rows.push(['Image ID', image.id]);
  rows.push(['Platform', platformText(image.platform) ?? 'unknown']);
  rows.push(['User', image.user === '' ? 'root (no USER set)' : image.user]);
  const size = knownImageSize(analysis);
  rows.push([
    'Total size',
    `${size === null ? 'n/a' : formatBytes(size)} in ${analysis.layers.length} layers`,
  ]);
  if (analysis.compressedSizeBytes !== null)
    rows.push(['Compressed size', formatBytes(analysis.compressedSizeBytes)]);
  if (analysis.metadataOnly !== true) {
    rows.push(['Efficiency', formatPercent(analysis.dive.efficiency)]);
    rows.push(['Wasted', formatBytes(analysis.dive.wastedBytes)]);
    rows.push(['Reclaimable', `${formatBytes(analysis.reclaimableBytes)} (by squashing the layers)`]);
  }
  if (gate !== null) rows.push(['CI gate', gate.passed ? 'PASS' : 'FAIL']);
  return rows;
}

/** A finding as the pages show it; with `fix`, its Dockerfile change is that fix's (listed once). */
export function pageFinding(finding: Finding, fix?: number): PageFinding {
  const shown = fix === undefined ? finding.advice.dockerfile : undefined;
  return {
    id: finding.id,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
    layerIndex: finding.layerIndex,
    savingsBytes: finding.wastedBytes,
    paths: finding.paths.map((path) => ({ path: path.path, sizeBytes: path.sizeBytes })),
    pathsOmitted: finding.pathsOmitted,
    advice: finding.advice.text,
    before: shown?.before ?? null,
    after: shown?.after ?? null,
    fix: fix ?? null,
  };
}

/** A step's fix as the analyze page lists it. */
export function pageFix(fix: StepFix): PageFix {
  return {
    step:
      fix.layers.length === 0
        ? ''
        : `${fix.layers.length === 1 ? 'Layer' : 'Layers'} ${fix.layers.join(', ')}`,
    before: fix.before,
    after: fix.after,
    findings: fix.findings.map((settled) => `#${settled.index + 1} ${settled.id}`),
    savingsBytes: fix.savingsBytes,
  };
}

/** The diff page's data: summary deltas, aligned layers, every changed file, findings compared. */
export function diffPageData(before: Analysis, after: Analysis, diff: ImageDiff): DiffPageData {
  const tree = new PathTree();
  const kindCodes = new Map<string, number>(PAGE_FILE_CHANGE_KINDS.map((kind, code) => [kind, code]));
  const files = { node: [] as number[], kind: [] as number[], before: [] as number[], after: [] as number[] };
  for (const change of diff.files.changes) {
    files.node.push(tree.node(change.path));
    files.kind.push(kindCodes.get(change.kind) ?? 0);
    files.before.push(change.beforeSizeBytes ?? -1);
    files.after.push(change.afterSizeBytes ?? -1);
  }
  return {
    version: PAGE_DATA_VERSION,
    kind: 'diff',
    title: `${before.image.reference} → ${after.image.reference}`,
    summary: summaryRows(diff).map(
      ([label = '', beforeText = '', afterText = '', delta = '', percent = '']) => [
        label,
        beforeText,
        afterText,
        [delta, percent].filter(Boolean).join(' '),
      ],
    ),
    paths: tree.paths,
    layers: diff.layers.rows.map((row) => ({ ...row })),
    files,
    findings: {
      fixed: diff.findings.fixed.map((finding) => pageFinding(finding)),
      introduced: diff.findings.introduced.map((finding) => pageFinding(finding)),
      unchanged: diff.findings.unchanged.map((finding) => pageFinding(finding)),
    },
  };
}
