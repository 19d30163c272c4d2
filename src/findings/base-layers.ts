import { type Analysis, parseCreatedBy } from '../model/index.js';

/**
 * How many leading layers came from the base image. History does not mark the boundary; a base
 * image's own history usually ends with its CMD or ENTRYPOINT, so the layers before the first
 * CMD/ENTRYPOINT that more layers follow are taken as the base (at least layer 0).
 */
export function baseLayerCount(analysis: Analysis): number {
  let layersSoFar = 0;
  for (const entry of analysis.history) {
    if (entry.layerIndex !== null) {
      layersSoFar = entry.layerIndex + 1;
      continue;
    }
    const keyword = parseCreatedBy(entry.createdBy).keyword;
    if (
      (keyword === 'CMD' || keyword === 'ENTRYPOINT') &&
      layersSoFar < analysis.layers.length &&
      layersSoFar > 0
    ) {
      return layersSoFar;
    }
  }
  return Math.min(1, analysis.layers.length);
}
