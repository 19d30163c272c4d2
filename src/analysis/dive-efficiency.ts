import {
  grown,
  typeCode,
  type DiveMetrics,
  type InefficientFile,
  type LayerContents,
} from '../model/index.js';
import { LayerStack } from './layer-stack.js';
import type { PathIndex } from './path-index.js';

const AUFS_META_PREFIX = '.wh..wh.';
/** Node states (besides an entry's serial): not in the tree, or a parent dive created ({size 0, not a dir}). */
const ABSENT = -1;
const IMPLICIT = -2;
/** Type codes the walk tests. */
const DIRECTORY = typeCode('directory');
const WHITEOUT = typeCode('whiteout');
const OPAQUE = typeCode('opaque');

/**
 * dive's efficiency, wasted bytes and inefficient files, computed the way dive v0.13 computes
 * them (filetree/efficiency.go), quirks included, so `.dive-ci` thresholds keep their meaning:
 * per layer, every leaf of that layer's own tree counts once for its path; a whiteout counts the
 * size of the directory it deletes (0 for a file); opaque markers are ignored; and a whiteout of
 * a path that never existed stops the count for the rest of that layer, as dive's visitor does.
 *
 * dive's trees are kept as one number per path id (an entry's serial, IMPLICIT or ABSENT): the
 * layer's own tree and the stack of the layers below. A whiteout is a node named ".wh.X" in its
 * layer's tree, as in dive, so it has a path id of its own.
 */
export function computeDiveMetrics(
  layers: readonly LayerContents[],
  stack: LayerStack = new LayerStack(layers),
): DiveMetrics {
  const { paths, pathIds, entries } = stack;
  const { serials, tables } = entries;
  // Read per entry and per node: typed arrays, not calls (this runs once per process, mostly unoptimized).
  const { typeCodes } = entries;
  const whiteoutNodeIds = stack.whiteoutNodeIds;
  const size = paths.size;
  // A layer's own tree holds whiteout nodes; the stack below it and the counts (whose keys are
  // the paths a whiteout deletes) hold only the entries' paths.
  const layerTree = new Int32Array(size).fill(ABSENT);
  const leaf = new Uint8Array(size);
  const pathCount = paths.pathCount;
  const stacked = new Int32Array(pathCount).fill(ABSENT);
  stacked[0] = IMPLICIT;
  const counts = new Int32Array(pathCount);
  const cumulative = new Float64Array(pathCount);
  const smallest = new Float64Array(pathCount);

  const nodeSize = (state: number): number => (state < 0 ? 0 : entries.size(state));
  const isWhiteout = (state: number): boolean =>
    state >= 0 && whiteoutNodeIds !== null && (whiteoutNodeIds[state] ?? ABSENT) >= 0;
  const aufsNames = aufsNameIds(paths);
  /**
   * dive's AddPath: creates missing parents as IMPLICIT, sets the node's state; below a missing
   * AUFS name (from the root down, the first one) it creates nothing more and sets no state.
   */
  const addPath = (tree: Int32Array, id: number, state: number): void => {
    // Walked up, not down, so that no list of the missing nodes is needed: the topmost AUFS name
    // (an image without any skips the walk).
    let aufs = -1;
    if (aufsNames !== null) {
      for (let node = id; node > 0 && tree[node] === ABSENT; node = paths.parent(node)) {
        if (aufsNames.has(node)) aufs = node;
      }
    }
    const from = aufs < 0 ? id : paths.parent(aufs);
    for (let node = from; node > 0 && tree[node] === ABSENT; node = paths.parent(node)) tree[node] = IMPLICIT;
    if (aufs < 0) tree[id] = state;
  };
  const order = new Int32Array(size);
  /**
   * The walk's stack: a node, the next of its sorted children to look at, whether it had one.
   * As deep as the tree (grown when a walk goes deeper), not as long as the paths.
   */
  let stackNodes = new Int32Array(64);
  let stackCursors = new Int32Array(64);
  let stackParents = new Uint8Array(64);
  const deepen = (): void => {
    stackNodes = grown(stackNodes, new Int32Array(stackNodes.length * 2));
    stackCursors = grown(stackCursors, new Int32Array(stackCursors.length * 2));
    stackParents = grown(stackParents, new Uint8Array(stackParents.length * 2));
  };
  /**
   * Every node of `tree` below the root, children before their parent, siblings sorted (dive's
   * VisitDepthChildFirst): fills `order` (returns how many) and flags leaves in `leaf`.
   */
  const sorted = paths.sorted();
  const childFirst = (tree: Int32Array): number => {
    const { first, next } = sorted;
    let count = 0;
    let depth = 1;
    stackNodes[0] = 0;
    stackCursors[0] = first[0] ?? -1;
    stackParents[0] = 0;
    while (depth > 0) {
      const top = depth - 1;
      let child = stackCursors[top] ?? -1;
      while (child >= 0 && tree[child] === ABSENT) child = next[child] ?? -1;
      if (child >= 0) {
        stackCursors[top] = next[child] ?? -1;
        stackParents[top] = 1;
        if (depth === stackNodes.length) deepen();
        stackNodes[depth] = child;
        stackCursors[depth] = first[child] ?? -1;
        stackParents[depth] = 0;
        depth++;
        continue;
      }
      depth--;
      const id = stackNodes[top] ?? 0;
      if (id === 0) continue;
      order[count++] = id;
      if (stackParents[top] === 0) leaf[id] = 1;
    }
    return count;
  };
  /** A deleted directory counts the sizes of everything it held, itself included. */
  const subtreeSize = (id: number): number => {
    let total = 0;
    const pending = [id];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      total += nodeSize(stacked[node] ?? ABSENT);
      for (let child = paths.firstChild(node); child >= 0; child = paths.nextSibling(child)) {
        if ((stacked[child] ?? ABSENT) !== ABSENT) pending.push(child);
      }
    }
    return total;
  };
  /** dive's Remove: the node and everything below it leave the stack. */
  const detach = (id: number): void => {
    const pending = [id];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      stacked[node] = ABSENT;
      for (let child = paths.firstChild(node); child >= 0; child = paths.nextSibling(child)) {
        if ((stacked[child] ?? ABSENT) !== ABSENT) pending.push(child);
      }
    }
  };

  for (let layer = 0; layer < serials.layerCount; layer++) {
    // The layer's own tree, as dive builds it: opaque markers dropped, whiteouts as ".wh.X" nodes.
    layerTree[0] = IMPLICIT;
    const table = tables[layer];
    const start = serials.start(layer);
    const end = serials.end(layer);
    for (let serial = start; serial < end; serial++) {
      const type = typeCodes[serial];
      if (type === OPAQUE) continue;
      const node = type === WHITEOUT ? (whiteoutNodeIds?.[serial] ?? ABSENT) : (pathIds[serial] ?? ABSENT);
      if (node >= 0) addPath(layerTree, node, serial);
    }
    const nodes = order.subarray(0, childFirst(layerTree));

    for (const id of nodes) {
      if (leaf[id] === 0) continue;
      const state = layerTree[id] ?? ABSENT;
      let key = id;
      // A state of this layer's tree is an entry of this layer (or a node dive made).
      let bytes = state < 0 ? 0 : (table?.size(state - start) ?? 0);
      if (isWhiteout(state)) {
        key = pathIds[state] ?? 0;
        const below = stacked[key] ?? ABSENT;
        if (below === ABSENT) break;
        bytes = below >= 0 && typeCodes[below] === DIRECTORY ? subtreeSize(key) : 0;
      }
      if (counts[key] === 0) smallest[key] = bytes;
      else smallest[key] = Math.min(smallest[key] ?? 0, bytes);
      counts[key] = (counts[key] ?? 0) + 1;
      cumulative[key] = (cumulative[key] ?? 0) + bytes;
    }

    // dive's Stack: every node of the layer's tree, children first; whiteouts remove, others add.
    for (const id of nodes) {
      const state = layerTree[id] ?? ABSENT;
      if (isWhiteout(state)) {
        const target = pathIds[state] ?? 0;
        if (stacked[target] !== ABSENT) detach(target);
      } else {
        addPath(stacked, id, state);
      }
      layerTree[id] = ABSENT;
      leaf[id] = 0;
    }
  }

  let smallestTotal = 0;
  let cumulativeTotal = 0;
  const inefficientFiles: InefficientFile[] = [];
  counts.forEach((count, id) => {
    if (count === 0) return;
    smallestTotal += smallest[id] ?? 0;
    cumulativeTotal += cumulative[id] ?? 0;
    if (count >= 2) inefficientFiles.push({ path: paths.path(id), count, wastedBytes: cumulative[id] ?? 0 });
  });
  inefficientFiles.sort((a, b) => b.wastedBytes - a.wastedBytes || (a.path < b.path ? -1 : 1));

  const sizeBytes = layers.reduce((sum, layer) => sum + layer.tarSizeBytes, 0);
  const userSizeBytes = sizeBytes - (layers[0]?.tarSizeBytes ?? 0);
  const wastedBytes = inefficientFiles.reduce((sum, file) => sum + file.wastedBytes, 0);
  return {
    efficiency: cumulativeTotal === 0 ? 1 : smallestTotal / cumulativeTotal,
    sizeBytes,
    userSizeBytes,
    wastedBytes,
    userWastedPercent: userSizeBytes === 0 ? null : wastedBytes / userSizeBytes,
    inefficientFiles,
  };
}

/** The nodes whose name starts with AUFS_META_PREFIX (null when none: then no name is looked at). */
function aufsNameIds(paths: PathIndex): Set<number> | null {
  // The prefix begins with ".wh.": without a path named so, no name has it (nearly every image).
  if (!paths.hasWhiteoutNamedPaths) return null;
  let found: Set<number> | null = null;
  for (let id = 1; id < paths.size; id++) {
    if (paths.nameStartsWith(id, AUFS_META_PREFIX)) (found ??= new Set()).add(id);
  }
  return found;
}
