import type { Analysis, FindingsReport, LayerFile } from '../model/index.js';
import { findingsToJson } from './findings-json.js';
import { platformText } from './format.js';

export const SCHEMA_VERSION = 1;

/**
 * The JSON report: a contract scripts depend on. Fields are only ever added, never renamed.
 * Sizes are exact bytes; userWastedPercent is a fraction, null where dive divides by zero.
 */
export interface AnalysisJsonOptions {
  /** Per layer, its entries (`--layer-files`): added to each layer as `files`. */
  layerFiles?: LayerFile[][] | undefined;
}

export function analysisToJson(
  analysis: Analysis,
  findings?: FindingsReport,
  options: AnalysisJsonOptions = {},
): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    image: {
      reference: analysis.image.reference,
      source: analysis.image.source,
      digest: analysis.image.digest,
      id: analysis.image.id,
      platform: platformText(analysis.image.platform),
      user: analysis.image.user,
      sizeBytes: analysis.sizeBytes,
      compressedSizeBytes: analysis.compressedSizeBytes,
      layerCount: analysis.layers.length,
      metadataOnly: analysis.metadataOnly === true,
    },
    efficiency: {
      score: analysis.dive.efficiency,
      wastedBytes: analysis.dive.wastedBytes,
      userSizeBytes: analysis.dive.userSizeBytes,
      userWastedPercent: analysis.dive.userWastedPercent,
      reclaimableBytes: analysis.reclaimableBytes,
      inefficientFiles: analysis.dive.inefficientFiles,
    },
    layers: analysis.layers.map((layer) => ({
      index: layer.index,
      diffId: layer.diffId,
      digest: layer.digest,
      createdBy: layer.createdBy,
      command: layer.command,
      sizeBytes: layer.sizeBytes,
      compressedSizeBytes: layer.compressedSizeBytes,
      fileCount: layer.fileCount,
      ...layer.changes,
      ...(options.layerFiles === undefined ? {} : { files: options.layerFiles[layer.index] ?? [] }),
    })),
    history: analysis.history.map((entry) => ({
      createdBy: entry.createdBy,
      created: entry.created,
      emptyLayer: entry.emptyLayer,
      layerIndex: entry.layerIndex,
    })),
    packages: analysis.packages.packages,
    warnings: analysis.warnings,
    ...(findings === undefined ? {} : findingsToJson(findings)),
  };
}

export function renderAnalysisJson(
  analysis: Analysis,
  findings?: FindingsReport,
  options: AnalysisJsonOptions = {},
): string {
  return JSON.stringify(analysisToJson(analysis, findings, options), null, 2) + '\n';
}
