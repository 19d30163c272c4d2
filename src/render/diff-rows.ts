import {
  shortCommand,
  type DeltaRow,
  type FileChange,
  type ImageDiff,
  type LayerDiffRow,
} from '../model/index.js';
import { formatBytes, formatDeltaBytes, formatDeltaPercent, formatPercent, platformText } from './format.js';
import { truncate } from './terminal-columns.js';

/** Rows shared by the terminal and Markdown diff reports: data -> cells. */
export const SUMMARY_HEAD = ['', 'Before', 'After', 'Change', '%'];

function bytesRow(label: string, row: DeltaRow): string[] {
  const show = (value: number | null): string => (value === null ? '-' : formatBytes(value));
  return [
    label,
    show(row.before),
    show(row.after),
    row.delta === null ? '' : formatDeltaBytes(row.delta),
    formatDeltaPercent(row.percent),
  ];
}

export function summaryRows(diff: ImageDiff): string[][] {
  const { summary } = diff;
  const efficiency = summary.efficiency;
  const layers = summary.layerCount;
  return [
    bytesRow('Size', summary.sizeBytes),
    bytesRow('Compressed', summary.compressedSizeBytes),
    [
      'Layers',
      String(layers.before),
      String(layers.after),
      layers.delta ? `${layers.delta > 0 ? '+' : ''}${layers.delta}` : '',
      '',
    ],
    [
      'Efficiency',
      formatPercent(efficiency.before),
      formatPercent(efficiency.after),
      efficiency.delta === null
        ? ''
        : `${efficiency.delta >= 0 ? '+' : ''}${(efficiency.delta * 100).toFixed(2)} pt`,
      '',
    ],
    bytesRow('Wasted (dive)', summary.wastedBytes),
    bytesRow('Reclaimable', summary.reclaimableBytes),
    [
      'User',
      userText(summary.user.before),
      userText(summary.user.after),
      summary.user.before === summary.user.after ? '' : 'changed',
      '',
    ],
    [
      'Platform',
      platformText(summary.platform.before) ?? '-',
      platformText(summary.platform.after) ?? '-',
      platformText(summary.platform.before) === platformText(summary.platform.after) ? '' : 'changed',
      '',
    ],
  ];
}

function userText(user: string): string {
  return user === '' ? 'root (no USER)' : user;
}

export const LAYER_HEAD = ['Status', 'Before', 'After', 'Command'];

export function layerRows(rows: LayerDiffRow[], width: number): string[][] {
  const size = (index: number | null, bytes: number | null): string =>
    index === null || bytes === null ? '-' : `#${index} ${formatBytes(bytes)}`;
  return rows.map((row) => [
    row.status,
    size(row.beforeIndex, row.beforeSizeBytes),
    size(row.afterIndex, row.afterSizeBytes),
    truncate(shortCommand(row.createdBy), width),
  ]);
}

/** One line about the shared base, the first divergence and a rebuild cascade. */
export function layerNotes(diff: ImageDiff): string[] {
  const { layers } = diff;
  const notes: string[] = [];
  notes.push(
    layers.sharedPrefixLayers === 0
      ? 'No shared base layers.'
      : `Unchanged base: ${layers.sharedPrefixLayers} layer${layers.sharedPrefixLayers === 1 ? '' : 's'}, ${formatBytes(layers.sharedPrefixBytes)}.`,
  );
  if (layers.firstDivergence === null) notes.push('The layers are identical.');
  else notes.push(`The builds diverge at layer ${layers.firstDivergence}.`);
  const cascade = layers.rebuildCascade;
  if (cascade !== null) {
    notes.push(
      `A ${formatBytes(cascade.changedBytes)} change (${truncate(shortCommand(cascade.changedCommand), 60)}) ` +
        `made ${cascade.rebuiltLayers} unchanged later step${cascade.rebuiltLayers === 1 ? '' : 's'} run again (${formatBytes(cascade.rebuiltBytes)}): ` +
        'order instructions by how often they change (dependency manifests and installs before the application code) so those layers stay cached.',
    );
  }
  return notes;
}

export const FILE_HEAD = ['Change', 'Before', 'After', 'Path', 'What'];

export function fileRows(changes: FileChange[], width: number): string[][] {
  const size = (bytes: number | null): string => (bytes === null ? '-' : formatBytes(bytes));
  return changes.map((change) => [
    change.kind,
    size(change.beforeSizeBytes),
    size(change.afterSizeBytes),
    truncate(change.path, width),
    change.changed.join(', '),
  ]);
}

export function filesLine(diff: ImageDiff): string {
  const files = diff.files;
  return `Files: ${files.added} added (${formatBytes(files.addedBytes)}), ${files.removed} removed (${formatBytes(files.removedBytes)}), ${files.modified} modified.`;
}

export const FINDING_HEAD = ['Status', 'Finding', 'Saves', 'Where'];

/** Fixed and introduced findings (unchanged ones are only counted). */
export function findingRows(diff: ImageDiff, width: number): string[][] {
  const { fixed, introduced } = diff.findings;
  const rows = (status: string, findings: typeof fixed): string[][] =>
    findings.map((finding) => [
      status,
      finding.id,
      finding.wastedBytes > 0 ? formatBytes(finding.wastedBytes) : '',
      truncate(shortCommand(finding.createdBy ?? finding.paths[0]?.path ?? ''), width),
    ]);
  return [...rows('introduced', introduced), ...rows('fixed', fixed)];
}

/** The findings in one line, with what the before image's findings predicted against what changed. */
export function findingsLine(diff: ImageDiff): string {
  const { findings, summary } = diff;
  const counts = `Findings: ${findings.fixed.length} fixed, ${findings.introduced.length} introduced, ${findings.unchanged.length} unchanged.`;
  const shrink = summary.sizeBytes.delta === null ? null : -summary.sizeBytes.delta;
  if (findings.fixed.length === 0 || findings.predictedSavingsBytes === 0 || shrink === null) return counts;
  return `${counts} The before image's findings predicted ${formatBytes(findings.predictedSavingsBytes)} of savings; the image ${shrink >= 0 ? `shrank by ${formatBytes(shrink)}` : `grew by ${formatBytes(-shrink)}`}.`;
}
