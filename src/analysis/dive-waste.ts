import { grown, TYPE_CODE } from '../model/index.js';
import { EntrySerials } from './entry-serials.js';
import type { LayerStack } from './layer-stack.js';
import type { PathIndex } from './path-index.js';

const AUFS_META_PREFIX = '.wh..wh.';
/** No such node in PathIndex's tree (no parent, child or sibling). */
const NO_NODE = -1;
/** Node states (besides an entry's serial): not in the tree, or a parent dive created ({size 0, not a dir}). */
const ABSENT = -1;
const IMPLICIT = -2;

/**
 * What dive's count of wasted bytes reads of a LayerStack, as typed arrays and numbers only: it
 * crosses to a worker thread as it is (a structured clone), so the count can run there while
 * this thread merges the layers. No path is in it; the count answers in path ids.
 */
export interface DiveWasteInput {
  /** By path id (every id, whiteout nodes included): parent, first child, next sibling (-1: none). */
  parents: Int32Array;
  firstChildren: Int32Array;
  nextSiblings: Int32Array;
  /** By path id: first child and next sibling in name order (`PathIndex.sorted`). */
  sortedFirst: Int32Array;
  sortedNext: Int32Array;
  /** Ids below this are paths; from it on, whiteout nodes. */
  pathCount: number;
  /** Ids whose name starts with ".wh..wh." (AUFS metadata); null: none. */
  aufsNames: Int32Array | null;
  /** By serial: path id and type code of the entry. */
  pathIds: Int32Array;
  typeCodes: Uint8Array;
  /** By layer, by index in the layer: the entries' sizes (the tables' own columns; their lengths number the serials). */
  layerSizes: Float64Array[];
  /** By serial: a whiteout's node in dive's layer tree (-1 for others); null: no whiteouts. */
  whiteoutNodeIds: Int32Array | null;
}

/** dive's counts: the sums its efficiency divides, and the paths counted twice or more. */
export interface DiveWaste {
  /** Over every path counted: the smallest and the total of the sizes it was counted with. */
  smallestTotal: number;
  cumulativeTotal: number;
  /** Path ids counted at least twice, in id order, with their counts and total sizes. */
  ids: Int32Array<ArrayBuffer>;
  counts: Int32Array<ArrayBuffer>;
  wastedBytes: Float64Array<ArrayBuffer>;
}

/**
 * The count's input from `stack`: views of the arrays the stack, its paths and the layers'
 * tables hold (no copies: a message to a worker copies them), and the AUFS names found by name
 * here, where the names are.
 */
export function diveWasteInput(stack: LayerStack): DiveWasteInput {
  const { paths, entries } = stack;
  const sorted = paths.sorted();
  return {
    ...paths.tree(),
    sortedFirst: sorted.first,
    sortedNext: sorted.next,
    pathCount: paths.pathCount,
    aufsNames: aufsNameIds(paths),
    pathIds: stack.pathIds,
    typeCodes: entries.typeCodes,
    layerSizes: entries.tables.map((table) => table.sizes()),
    whiteoutNodeIds: stack.whiteoutNodeIds,
  };
}

/**
 * dive's per-path counts, computed the way dive v0.13 computes them (filetree/efficiency.go),
 * quirks included, so `.dive-ci` thresholds keep their meaning: per layer, every leaf of that
 * layer's own tree counts once for its path; a whiteout counts the size of the directory it
 * deletes (0 for a file); opaque markers are ignored; and a whiteout of a path that never
 * existed stops the count for the rest of that layer, as dive's visitor does.
 *
 * dive's trees are kept as one number per path id (an entry's serial, IMPLICIT or ABSENT): the
 * layer's own tree and the stack of the layers below. A whiteout is a node named ".wh.X" in its
 * layer's tree, as in dive, so it has a path id of its own. Everything read is a typed array
 * (this runs once per process, mostly unoptimized, and on a worker thread where there is one).
 */
export function countDiveWaste(input: DiveWasteInput): DiveWaste {
  const { parents, firstChildren, nextSiblings, pathCount, pathIds, typeCodes, layerSizes } = input;
  const { whiteoutNodeIds } = input;
  const size = parents.length;
  // A layer's own tree holds whiteout nodes; the stack below it and the counts (whose keys are
  // the paths a whiteout deletes) hold only the entries' paths.
  const layerTree = new Int32Array(size).fill(ABSENT);
  const leaf = new Uint8Array(size);
  const stacked = new Int32Array(pathCount).fill(ABSENT);
  stacked[0] = IMPLICIT;
  const counts = new Int32Array(pathCount);
  const cumulative = new Float64Array(pathCount);
  const smallest = new Float64Array(pathCount);

  const parent = (node: number): number => parents[node] ?? NO_NODE;
  const serials = new EntrySerials(layerSizes.map((sizes) => sizes.length));
  const nodeSize = (state: number): number => {
    if (state < 0) return 0;
    const layer = serials.layerOf(state);
    return layerSizes[layer]?.[state - serials.start(layer)] ?? 0;
  };
  const isWhiteout = (state: number): boolean =>
    state >= 0 && whiteoutNodeIds !== null && (whiteoutNodeIds[state] ?? ABSENT) >= 0;
  const aufsNames = input.aufsNames === null ? null : new Set(input.aufsNames);
  /**
   * dive's AddPath: creates missing parents as IMPLICIT, sets the node's state; below a missing
   * AUFS name (from the root down, the first one) it creates nothing more and sets no state.
   */
  const addPath = (tree: Int32Array, id: number, state: number): void => {
    // Walked up, not down, so that no list of the missing nodes is needed: the topmost AUFS name
    // (an image without any skips the walk).
    let aufs = -1;
    if (aufsNames !== null) {
      for (let node = id; node > 0 && tree[node] === ABSENT; node = parent(node)) {
        if (aufsNames.has(node)) aufs = node;
      }
    }
    const from = aufs < 0 ? id : parent(aufs);
    for (let node = from; node > 0 && tree[node] === ABSENT; node = parent(node)) tree[node] = IMPLICIT;
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
  const first = input.sortedFirst;
  const next = input.sortedNext;
  const childFirst = (tree: Int32Array): number => {
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
  /** The stacked nodes from `id` down (itself first), each handed to `visit`. */
  const eachStackedBelow = (id: number, visit: (node: number) => void): void => {
    const pending = [id];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      visit(node);
      for (let child = firstChildren[node] ?? NO_NODE; child >= 0; child = nextSiblings[child] ?? NO_NODE) {
        if ((stacked[child] ?? ABSENT) !== ABSENT) pending.push(child);
      }
    }
  };

  for (let layer = 0; layer < serials.layerCount; layer++) {
    // The layer's own tree, as dive builds it: opaque markers dropped, whiteouts as ".wh.X" nodes.
    layerTree[0] = IMPLICIT;
    const start = serials.start(layer);
    const end = serials.end(layer);
    for (let serial = start; serial < end; serial++) {
      const type = typeCodes[serial];
      if (type === TYPE_CODE.opaque) continue;
      const node =
        type === TYPE_CODE.whiteout ? (whiteoutNodeIds?.[serial] ?? ABSENT) : (pathIds[serial] ?? ABSENT);
      if (node >= 0) addPath(layerTree, node, serial);
    }
    const nodes = order.subarray(0, childFirst(layerTree));

    for (const id of nodes) {
      if (leaf[id] === 0) continue;
      const state = layerTree[id] ?? ABSENT;
      let key = id;
      // A state of this layer's tree is an entry of this layer (or a node dive made).
      let bytes = nodeSize(state);
      if (isWhiteout(state)) {
        key = pathIds[state] ?? 0;
        const below = stacked[key] ?? ABSENT;
        if (below === ABSENT) break;
        // A deleted directory counts the sizes of everything it held, itself included.
        bytes = 0;
        if (below >= 0 && typeCodes[below] === TYPE_CODE.directory)
          eachStackedBelow(key, (node) => (bytes += nodeSize(stacked[node] ?? ABSENT)));
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
        // dive's Remove: the node and everything below it leave the stack.
        const target = pathIds[state] ?? 0;
        if (stacked[target] !== ABSENT) eachStackedBelow(target, (node) => (stacked[node] = ABSENT));
      } else {
        addPath(stacked, id, state);
      }
      layerTree[id] = ABSENT;
      leaf[id] = 0;
    }
  }

  let smallestTotal = 0;
  let cumulativeTotal = 0;
  let twice = 0;
  for (let id = 0; id < pathCount; id++) {
    const count = counts[id] ?? 0;
    if (count === 0) continue;
    smallestTotal += smallest[id] ?? 0;
    cumulativeTotal += cumulative[id] ?? 0;
    if (count >= 2) twice++;
  }
  const ids = new Int32Array(twice);
  const twiceCounts = new Int32Array(twice);
  const wastedBytes = new Float64Array(twice);
  for (let id = 0, at = 0; id < pathCount; id++) {
    if ((counts[id] ?? 0) < 2) continue;
    ids[at] = id;
    twiceCounts[at] = counts[id] ?? 0;
    wastedBytes[at++] = cumulative[id] ?? 0;
  }
  return { smallestTotal, cumulativeTotal, ids, counts: twiceCounts, wastedBytes };
}

/** The nodes whose name starts with AUFS_META_PREFIX (null when none: then no name is looked at). */
function aufsNameIds(paths: PathIndex): Int32Array | null {
  // The prefix begins with ".wh.": without a path named so, no name has it (nearly every image).
  if (!paths.hasWhiteoutNamedPaths) return null;
  const found: number[] = [];
  for (let id = 1; id < paths.size; id++) {
    if (paths.nameStartsWith(id, AUFS_META_PREFIX)) found.push(id);
  }
  return found.length === 0 ? null : Int32Array.from(found);
}
