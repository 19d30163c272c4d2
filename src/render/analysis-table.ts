import {
  fileMetric,
  knownImageSize,
  knownLayerSize,
  shortCommand,
  type Analysis,
  type FindingsReport,
} from '../model/index.js';
import { renderFindingsSection } from './findings-table.js';
import { indexRows } from './index-rows.js';
import { renderLargestPackages } from './packages-table.js';
import { TextTable } from './text-table.js';
import { terminalText } from './terminal-text.js';
import { formatBytes, formatPercent, platformText } from './format.js';
import { truncate } from './terminal-columns.js';

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
  const summary = new TextTable();
  summary.push(
    ['Image', `${image.reference} (${image.source})`],
    ...(image.digest === null ? [] : [['Digest', image.digest]]),
    ...(image.id === null ? [] : [['Image ID', image.id]]),
    ['Platform', platform],
    ...indexRows(analysis),
    ['User', image.user === '' ? 'root (no USER set)' : image.user],
    ['Total size', totalSizeText(analysis)],
    ['Efficiency', formatPercent(fileMetric(analysis, dive.efficiency))],
    ['Wasted bytes', unknownOr(fileMetric(analysis, dive.wastedBytes), formatBytes)],
    ['User wasted', formatPercent(fileMetric(analysis, dive.userWastedPercent))],
    [
      'Reclaimable',
      unknownOr(
        fileMetric(analysis, analysis.reclaimableBytes),
        (bytes) => `${formatBytes(bytes)} (what squashing the layers would save)`,
      ),
    ],
  );
  out.push(summary.toString(), '');
  if (analysis.metadataOnly === true) {
    out.push(
      'Metadata only (--no-layers): the layers were not read. A compressed layer has only its',
      'compressed size; a layer stored uncompressed has its tar size (headers included).',
      'Efficiency, waste and file counts are n/a.',
      '',
    );
  }

  const commandWidth = Math.max(20, options.width - 40);
  const layers = new TextTable({ head: ['#', 'Size', 'Compressed', 'Command'] });
  for (const entry of analysis.history) {
    const layer = entry.layerIndex === null ? undefined : analysis.layers[entry.layerIndex];
    layers.push([
      layer === undefined ? '-' : String(layer.index),
      layer === undefined ? '0 B' : unknownOr(knownLayerSize(analysis, layer), formatBytes),
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
      unknownOr(knownLayerSize(analysis, layer), formatBytes),
      layer.compressedSizeBytes === null ? '-' : formatBytes(layer.compressedSizeBytes),
      '(no history)',
    ]);
  }
  out.push('Layers', layers.toString(), '');

  const files = dive.inefficientFiles.slice(0, options.top);
  out.push(
    analysis.metadataOnly === true
      ? 'Inefficient files: n/a'
      : `Inefficient files (${files.length} of ${dive.inefficientFiles.length})`,
  );
  if (files.length > 0) {
    const table = new TextTable({ head: ['Count', 'Wasted', 'Path'] });
    for (const file of files)
      table.push([String(file.count), formatBytes(file.wastedBytes), truncate(file.path, commandWidth)]);
    out.push(table.toString());
  }
  const packages = renderLargestPackages(analysis.packages, analysis.sizeBytes, options.top, options.width);
  if (packages.length > 0) out.push('', ...packages);
  if (findings !== undefined) out.push('', ...renderFindingsSection(findings, options.width));
  for (const warning of analysis.warnings) out.push(`warning: ${warning}`);
  // The lines outside the tables (findings, warnings) quote the image too.
  return terminalText(out.join('\n') + '\n');
}

/** "n/a" for what was not measured (--no-layers). */
function unknownOr<T>(value: T | null, format: (value: T) => string): string {
  return value === null ? 'n/a' : format(value);
}

/**
 * "120 kB in 3 layers (45.3 kB compressed)"; where only some layers are compressed, how much of
 * the image that compressed size covers; with --no-layers what is known.
 */
function totalSizeText(analysis: Analysis): string {
  const size = knownImageSize(analysis);
  const count = analysis.layers.length;
  const total =
    size === null
      ? `n/a in ${count} layers`
      : `${formatBytes(size)} ${analysis.metadataOnly === true ? 'of layer tars ' : ''}in ${count} layers`;
  if (analysis.compressedSizeBytes !== null)
    return `${total} (${formatBytes(analysis.compressedSizeBytes)} compressed)`;
  const compressed = analysis.layers.filter((layer) => layer.compressedSizeBytes !== null);
  if (compressed.length === 0) return total;
  const bytes = compressed.reduce((sum, layer) => sum + (layer.compressedSizeBytes ?? 0), 0);
  return `${total} (${formatBytes(bytes)} compressed in ${compressed.length} of ${count} layers; the others are stored uncompressed)`;
}
