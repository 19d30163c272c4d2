import { shortCommand, type Analysis, type FindingsReport } from '../model/index.js';
import { renderFindingsSection } from './findings-table.js';
import { renderLargestPackages } from './packages-table.js';
import { COMPACT, PLAIN, textTable } from './table-style.js';
import { formatBytes, formatPercent, platformText, truncate } from './format.js';

export interface TableOptions {
  /** How many inefficient files to list. */
  top: number;
  /** Terminal width the command column is fitted to. */
  width: number;
}

/** The terminal report: summary, a `docker history`-like layer table, the largest waste. */
export function renderAnalysisTable(
  analysis: Analysis,
  options: TableOptions,
  findings?: FindingsReport,
): string {
  const out: string[] = [];
  const { image, dive } = analysis;
  const platform = platformText(image.platform) ?? 'unknown';
  const summary = textTable({ style: PLAIN, chars: COMPACT });
  summary.push(
    ['Image', `${image.reference} (${image.source})`],
    ...(image.digest === null ? [] : [['Digest', image.digest]]),
    ...(image.id === null ? [] : [['Image ID', image.id]]),
    ['Platform', platform],
    ['User', image.user === '' ? 'root (no USER set)' : image.user],
    [
      'Total size',
      `${formatBytes(analysis.sizeBytes)} in ${analysis.layers.length} layers` +
        (analysis.compressedSizeBytes === null
          ? ''
          : ` (${formatBytes(analysis.compressedSizeBytes)} compressed)`),
    ],
    ['Efficiency', formatPercent(dive.efficiency)],
    ['Wasted bytes', formatBytes(dive.wastedBytes)],
    ['User wasted', formatPercent(dive.userWastedPercent)],
    ['Reclaimable', `${formatBytes(analysis.reclaimableBytes)} (what squashing the layers would save)`],
  );
  out.push(summary.toString(), '');
  if (analysis.metadataOnly === true) {
    out.push(
      'Metadata only (--no-layers): layer sizes are compressed sizes from the manifest;',
      'file sizes, efficiency and waste were not computed.',
      '',
    );
  }

  const commandWidth = Math.max(20, options.width - 40);
  const layers = textTable({ head: ['#', 'Size', 'Compressed', 'Command'], style: PLAIN, chars: COMPACT });
  for (const entry of analysis.history) {
    const layer = entry.layerIndex === null ? undefined : analysis.layers[entry.layerIndex];
    layers.push([
      layer === undefined ? '-' : String(layer.index),
      layer === undefined ? '0 B' : formatBytes(layer.sizeBytes),
      layer?.compressedSizeBytes == null ? '-' : formatBytes(layer.compressedSizeBytes),
      truncate(shortCommand(entry.createdBy), commandWidth),
    ]);
  }
  // Layers the history does not mention (a config without history) still get a row.
  const mapped = new Set(analysis.history.map((entry) => entry.layerIndex));
  for (const layer of analysis.layers) {
    if (mapped.has(layer.index)) continue;
    layers.push([
      String(layer.index),
      formatBytes(layer.sizeBytes),
      layer.compressedSizeBytes === null ? '-' : formatBytes(layer.compressedSizeBytes),
      '(no history)',
    ]);
  }
  out.push('Layers', layers.toString(), '');

  const files = dive.inefficientFiles.slice(0, options.top);
  out.push(`Inefficient files (${files.length} of ${dive.inefficientFiles.length})`);
  if (files.length > 0) {
    const table = textTable({ head: ['Count', 'Wasted', 'Path'], style: PLAIN, chars: COMPACT });
    for (const file of files)
      table.push([String(file.count), formatBytes(file.wastedBytes), truncate(file.path, commandWidth)]);
    out.push(table.toString());
  }
  const packages = renderLargestPackages(analysis.packages, analysis.sizeBytes, options.top, options.width);
  if (packages.length > 0) out.push('', ...packages);
  if (findings !== undefined) out.push('', ...renderFindingsSection(findings, options.width));
  for (const warning of analysis.warnings) out.push(`warning: ${warning}`);
  return out.join('\n') + '\n';
}
