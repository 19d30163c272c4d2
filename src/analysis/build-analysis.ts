import {
  FILE_LIKE,
  type Analysis,
  type EntryTable,
  type ImageConfig,
  type ImageInfo,
  type LayerContents,
  type LayerReport,
} from '../model/index.js';
import { diveMetrics } from './dive-efficiency.js';
import { countDiveWaste, diveWasteInput, type DiveWaste, type DiveWasteInput } from './dive-waste.js';
import { shortCommand } from '../model/index.js';
import { mapHistory } from './history.js';
import { emptyChanges } from './layer-changes.js';
import { LayerStack, type LayerPaths } from './layer-stack.js';
import { mergeLayers } from './merged-filesystem.js';
import type { SqlJsStatic } from 'sql.js';
import { inventoryPackages } from '../packages/index.js';

/** What the analysis needs to know of each layer besides its contents. */
export interface LayerIdentity {
  diffId: string | null;
  digest: string | null;
}

export interface AnalysisInput {
  image: ImageInfo;
  config: ImageConfig;
  layers: LayerIdentity[];
  contents: LayerContents[];
  /** SQLite for rpm's package database, where a layer kept one (sqliteForRpm); else rpm packages are a warning. */
  sqlite?: SqlJsStatic | null;
  /** The layers' paths as far as they were numbered while the layers were read. */
  paths?: LayerPaths;
}

/** Both metric families, per-layer reports and the history view, from layers already read. */
export function buildAnalysis(input: AnalysisInput): Analysis {
  const stack = new LayerStack(input.contents, input.paths);
  const waste = diveWasteInput(stack);
  return analyzeStack(input, stack)(countDiveWaste(waste));
}

/**
 * `buildAnalysis`, with dive's count handed to `countElsewhere` (a worker thread that read
 * layers, idle now): it counts there while this thread merges the layers and lists the
 * packages. Where it answers null, or its count fails (a worker that died), the count runs here.
 */
export async function buildAnalysisWith(
  input: AnalysisInput,
  countElsewhere: (waste: DiveWasteInput) => Promise<DiveWaste> | null,
): Promise<Analysis> {
  const stack = new LayerStack(input.contents, input.paths);
  const waste = diveWasteInput(stack);
  const counting = countElsewhere(waste);
  const finish = analyzeStack(input, stack);
  return finish(
    counting === null ? countDiveWaste(waste) : await counting.catch(() => countDiveWaste(waste)),
  );
}

/**
 * Everything of the analysis but dive's metrics (the merged filesystem, packages, layer reports,
 * history): what is left to do once dive's counts are in.
 */
function analyzeStack(input: AnalysisInput, stack: LayerStack): (waste: DiveWaste) => Analysis {
  const { contents } = input;
  const filesystem = mergeLayers(contents, stack);
  const packages = inventoryPackages(contents, filesystem.finalFiles, input.sqlite ?? null);
  const history = mapHistory(input.config.history ?? [], contents.length);
  const createdBy = new Map(
    history.flatMap((entry) => (entry.layerIndex === null ? [] : [[entry.layerIndex, entry.createdBy]])),
  );

  const layers = contents.map((layer, index): LayerReport => {
    const identity = input.layers[index];
    const command = createdBy.get(index) ?? '';
    return {
      index,
      diffId: identity?.diffId ?? null,
      digest: identity?.digest ?? null,
      createdBy: command,
      command: shortCommand(command),
      sizeBytes: layer.tarSizeBytes,
      // An uncompressed layer has no compressed size to report.
      compressedSizeBytes: layer.compression === 'none' ? null : layer.storedBytes,
      fileCount: fileCount(layer.entries),
      changes: filesystem.layerChanges[index] ?? emptyChanges(),
    };
  });
  const compressed = layers.map((layer) => layer.compressedSizeBytes);
  return (waste) => {
    const dive = diveMetrics(contents, waste, stack.paths);
    return {
      image: input.image,
      config: input.config,
      layers,
      history,
      dive,
      sizeBytes: dive.sizeBytes,
      compressedSizeBytes: compressed.every((size): size is number => size !== null)
        ? compressed.reduce((sum, size) => sum + size, 0)
        : null,
      reclaimableBytes: filesystem.reclaimableBytes,
      contents,
      finalFiles: filesystem.finalFiles,
      fates: filesystem.fates,
      packages,
      warnings: [
        ...contents.flatMap((layer) => layer.warnings),
        ...filesystem.warnings,
        ...packages.warnings,
      ],
    };
  };
}

/** Entries that are files, links or special files: not directories, whiteouts or opaque markers. */
function fileCount(entries: EntryTable): number {
  let count = 0;
  for (const code of entries.typeCodes()) count += FILE_LIKE[code] ?? 0;
  return count;
}
