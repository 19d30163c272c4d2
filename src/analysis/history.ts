import type { HistoryEntry, HistoryReport } from '../model/index.js';

/** History entries in order, each non-empty one matched to the next layer (as docker history does). */
export function mapHistory(history: HistoryEntry[], layerCount: number): HistoryReport[] {
  let nextLayer = 0;
  return history.map((entry) => {
    const emptyLayer = entry.empty_layer === true;
    let layerIndex: number | null = null;
    if (!emptyLayer && nextLayer < layerCount) layerIndex = nextLayer++;
    return {
      createdBy: entry.created_by ?? '',
      created: entry.created ?? null,
      emptyLayer,
      layerIndex,
      comment: entry.comment ?? null,
    };
  });
}
