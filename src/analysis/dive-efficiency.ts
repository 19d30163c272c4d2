import type { DiveMetrics, InefficientFile, LayerContents } from '../model/index.js';
import { countDiveWaste, diveWasteInput, type DiveWaste } from './dive-waste.js';
import { LayerStack } from './layer-stack.js';
import type { PathIndex } from './path-index.js';

/**
 * dive's efficiency, wasted bytes and inefficient files (dive-waste.ts counts them, the way dive
 * v0.13 does), for layers stacked in `stack`.
 */
export function computeDiveMetrics(
  layers: readonly LayerContents[],
  stack: LayerStack = new LayerStack(layers),
): DiveMetrics {
  return diveMetrics(layers, countDiveWaste(diveWasteInput(stack)), stack.paths);
}

/** The metrics from dive's counts (`countDiveWaste`, here or on a worker thread): paths named, sorted as dive lists them. */
export function diveMetrics(
  layers: readonly LayerContents[],
  waste: DiveWaste,
  paths: PathIndex,
): DiveMetrics {
  const inefficientFiles: InefficientFile[] = [];
  waste.ids.forEach((id, at) =>
    inefficientFiles.push({
      path: paths.path(id),
      count: waste.counts[at] ?? 0,
      wastedBytes: waste.wastedBytes[at] ?? 0,
    }),
  );
  inefficientFiles.sort((a, b) => b.wastedBytes - a.wastedBytes || (a.path < b.path ? -1 : 1));

  const sizeBytes = layers.reduce((sum, layer) => sum + layer.tarSizeBytes, 0);
  const userSizeBytes = sizeBytes - (layers[0]?.tarSizeBytes ?? 0);
  const wastedBytes = inefficientFiles.reduce((sum, file) => sum + file.wastedBytes, 0);
  return {
    efficiency: waste.cumulativeTotal === 0 ? 1 : waste.smallestTotal / waste.cumulativeTotal,
    sizeBytes,
    userSizeBytes,
    wastedBytes,
    userWastedPercent: userSizeBytes === 0 ? null : wastedBytes / userSizeBytes,
    inefficientFiles,
  };
}
