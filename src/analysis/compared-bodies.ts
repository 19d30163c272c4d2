import { TYPE_CODE, type EntryTable } from '../model/index.js';
import type { LayerPaths } from './layer-stack.js';

/** An entry of a layer's table whose hash is deferred, and where its body is in the layer's tar. */
export interface DeferredBody {
  table: EntryTable;
  index: number;
  offset: number;
}

/**
 * The entries whose deferred hash (EntryTable.setDeferredContent) the merge of these layers asks
 * for: those at a path that more than one file or hard link of the stack writes (a later write
 * is compared with the one it replaces: modified or metadata-only), and those at a hard link's
 * target (a link takes its file's hash). A superset of what the merge compares, found from the
 * layers' numbered paths without a string lookup, so that the bodies can be hashed on every
 * core before the merge runs on one.
 */
export function comparedBodies(tables: readonly EntryTable[], paths: LayerPaths): DeferredBody[] {
  const numbered = tables.map((table, layer) => paths.numbered(layer, table));
  /** By path id: writes of a file or link there, counted up to 2 (2 also marks a link target). */
  const writes = new Uint8Array(paths.index.size);
  tables.forEach((table, layer) => {
    const { pathIds, linkTargetIds } = numbered[layer] ?? { pathIds: new Int32Array(0), linkTargetIds: null };
    const types = table.typeCodes();
    for (let index = 0; index < types.length; index++) {
      const code = types[index];
      if (code !== TYPE_CODE.file && code !== TYPE_CODE.hardlink) continue;
      const id = pathIds[index] ?? 0;
      writes[id] = Math.min(2, (writes[id] ?? 0) + 1);
      if (code === TYPE_CODE.hardlink) writes[linkTargetIds?.[index] ?? 0] = 2;
    }
  });
  const wanted: DeferredBody[] = [];
  tables.forEach((table, layer) => {
    const pathIds = numbered[layer]?.pathIds;
    for (const [index, offset] of table.deferredBodies())
      if ((writes[pathIds?.[index] ?? 0] ?? 0) > 1) wanted.push({ table, index, offset });
  });
  return wanted;
}
