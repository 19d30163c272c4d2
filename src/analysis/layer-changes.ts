import type { LayerChanges } from '../model/index.js';

export function emptyChanges(): LayerChanges {
  return {
    addedFiles: 0,
    addedBytes: 0,
    modifiedFiles: 0,
    modifiedBytes: 0,
    metadataOnlyFiles: 0,
    metadataOnlyBytes: 0,
    removedFiles: 0,
    removedBytes: 0,
  };
}
