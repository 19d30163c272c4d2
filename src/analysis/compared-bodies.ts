import type { EntryTable } from '../model/index.js';
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
 * target (a link takes its file's hash), as LayerPaths counted them while numbering the layers.
 * A superset of what the merge compares, so that the bodies can be hashed on every core before
 * the merge runs on one (a hash it asks for besides is computed then).
 */
export function comparedBodies(tables: readonly EntryTable[], paths: LayerPaths): DeferredBody[] {
  // Every layer numbered (counted) first: a body is compared with one of any layer.
  const numbered = tables.map((table, layer) => paths.numbered(layer, table));
  const wanted: DeferredBody[] = [];
  tables.forEach((table, layer) => {
    const pathIds = numbered[layer]?.pathIds;
    for (const [index, offset] of table.deferredBodies())
      if (paths.writtenAgain(pathIds?.[index] ?? 0)) wanted.push({ table, index, offset });
  });
  return wanted;
}
