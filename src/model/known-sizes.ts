import type { Analysis, LayerReport } from './analysis.js';

/*
 * What a report may state. A full analysis knows every number. With --no-layers the layers were
 * not read: efficiency, waste, file counts and changes are unknown (null in JSON, "n/a" in
 * tables), and a layer's size is known only where it is stored uncompressed (its tar, whose size
 * the manifest or the archive's member gives: tar headers included); a compressed layer has only
 * its compressed size.
 */

/** The layer's size, or null where it is not known. */
export function knownLayerSize(analysis: Analysis, layer: LayerReport): number | null {
  if (analysis.metadataOnly !== true) return layer.sizeBytes;
  return layer.compressedSizeBytes === null && layer.sizeBytes > 0 ? layer.sizeBytes : null;
}

/** The image's size: every layer's size added up, or null where one is not known. */
export function knownImageSize(analysis: Analysis): number | null {
  if (analysis.metadataOnly !== true) return analysis.sizeBytes;
  let total = 0;
  for (const layer of analysis.layers) {
    const size = knownLayerSize(analysis, layer);
    if (size === null) return null;
    total += size;
  }
  return total;
}

/** A file metric (efficiency, wasted bytes, counts), or null where the layers were not read. */
export function fileMetric<T>(analysis: Analysis, value: T): T | null {
  return analysis.metadataOnly === true ? null : value;
}
