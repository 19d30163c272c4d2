import type { Analysis, DiffSummary } from '../model/index.js';
import { deltaRow } from './delta.js';

/** The headline figures of both images side by side. */
export function diffSummary(before: Analysis, after: Analysis): DiffSummary {
  return {
    sizeBytes: deltaRow(before.sizeBytes, after.sizeBytes),
    compressedSizeBytes: deltaRow(before.compressedSizeBytes, after.compressedSizeBytes),
    layerCount: deltaRow(before.layers.length, after.layers.length),
    efficiency: deltaRow(before.dive.efficiency, after.dive.efficiency),
    wastedBytes: deltaRow(before.dive.wastedBytes, after.dive.wastedBytes),
    reclaimableBytes: deltaRow(before.reclaimableBytes, after.reclaimableBytes),
    user: { before: before.image.user, after: after.image.user },
    platform: { before: before.image.platform, after: after.image.platform },
  };
}
