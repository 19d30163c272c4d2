import {
  fileMetric,
  knownImageSize,
  knownLayerSize,
  type Analysis,
  type FindingsReport,
  type LayerChanges,
  type LayerFile,
} from '../model/index.js';
import { findingsToJson } from './findings-json.js';
import { platformText } from './format.js';

export const SCHEMA_VERSION = 1;

/**
 * The JSON report: a contract scripts depend on. Fields are only ever added, never renamed.
 * Sizes are exact bytes; userWastedPercent is a fraction, null where dive divides by zero. With
 * --no-layers what was not measured is null (`src/model/known-sizes.ts`).
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
      sizeBytes: knownImageSize(analysis),
      compressedSizeBytes: analysis.compressedSizeBytes,
      layerCount: analysis.layers.length,
      metadataOnly: analysis.metadataOnly === true,
    },
    efficiency: {
      score: fileMetric(analysis, analysis.dive.efficiency),
      wastedBytes: fileMetric(analysis, analysis.dive.wastedBytes),
      userSizeBytes: fileMetric(analysis, analysis.dive.userSizeBytes),
      userWastedPercent: fileMetric(analysis, analysis.dive.userWastedPercent),
      reclaimableBytes: fileMetric(analysis, analysis.reclaimableBytes),
      inefficientFiles: fileMetric(analysis, analysis.dive.inefficientFiles),
    },
    layers: analysis.layers.map((layer) => ({
      index: layer.index,
      diffId: layer.diffId,
      digest: layer.digest,
      createdBy: layer.createdBy,
      command: layer.command,
      sizeBytes: knownLayerSize(analysis, layer),
      compressedSizeBytes: layer.compressedSizeBytes,
      fileCount: fileMetric(analysis, layer.fileCount),
      ...(analysis.metadataOnly === true ? UNKNOWN_CHANGES : layer.changes),
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

/** A layer's changes with --no-layers: not measured. */
const UNKNOWN_CHANGES: Record<keyof LayerChanges, null> = {
  addedFiles: null,
  addedBytes: null,
  modifiedFiles: null,
  modifiedBytes: null,
  metadataOnlyFiles: null,
  metadataOnlyBytes: null,
  removedFiles: null,
  removedBytes: null,
};

export function renderAnalysisJson(
  analysis: Analysis,
  findings?: FindingsReport,
  options: AnalysisJsonOptions = {},
): string {
  return JSON.stringify(analysisToJson(analysis, findings, options), null, 2) + '\n';
}
