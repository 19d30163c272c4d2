// dive's metrics as main computed them before the memory work, kept verbatim. What it guards:
// refactoring regressions of the optimised src/analysis/dive-efficiency.ts, which must agree
// with it on generated stacks (test/unit/analysis/layer-stack.property.test.ts). It is itself
// held to dive's published numbers for dive's own images by
// test/unit/reference/reference-dive.test.ts, so agreeing with it means agreeing with dive.
import type { DiveMetrics, InefficientFile, LayerContents, LayerEntry } from '../../src/model/index.js';
import { PathNode, pathComponents } from './path-tree.js';

/** dive's per-node payload; nodes dive creates for missing parents carry {0, false}. */
interface DiveData {
  size: number;
  isDir: boolean;
  whiteout: boolean;
}

const IMPLICIT: DiveData = { size: 0, isDir: false, whiteout: false };
const WHITEOUT_PREFIX = '.wh.';
const AUFS_META_PREFIX = '.wh..wh.';

interface PathStats {
  count: number;
  cumulative: number;
  smallest: number;
}

/**
 * dive's efficiency, wasted bytes and inefficient files, computed the way dive v0.13 computes
 * them (filetree/efficiency.go), quirks included, so `.dive-ci` thresholds keep their meaning:
 * per layer, every leaf of that layer's own tree counts once for its path; a whiteout counts the
 * size of the directory it deletes (0 for a file); opaque markers are ignored; and a whiteout of
 * a path that never existed stops the count for the rest of that layer, as dive's visitor does.
 */
export function referenceDiveMetrics(layers: LayerContents[]): DiveMetrics {
  const stats = new Map<string, PathStats>();
  const stacked = new PathNode<DiveData>('', null, IMPLICIT);

  layers.forEach((layer) => {
    const tree = buildLayerTree([...layer.entries]);
    tree.visitChildFirst((node) => {
      if (!node.isLeaf()) return true;
      const path = divePath(node);
      let size = node.data.size;
      if (node.data.whiteout) {
        const below = stacked.find(path);
        if (below === undefined) return false;
        size = below.data.isDir ? subtreeSize(below) : 0;
      }
      const entry = stats.get(path);
      if (entry === undefined) {
        stats.set(path, { count: 1, cumulative: size, smallest: size });
      } else {
        entry.count += 1;
        entry.cumulative += size;
        entry.smallest = Math.min(entry.smallest, size);
      }
      return true;
    });
    stackOnto(stacked, tree);
  });

  let smallestTotal = 0;
  let cumulativeTotal = 0;
  const inefficientFiles: InefficientFile[] = [];
  for (const [path, entry] of stats) {
    smallestTotal += entry.smallest;
    cumulativeTotal += entry.cumulative;
    if (entry.count >= 2) inefficientFiles.push({ path, count: entry.count, wastedBytes: entry.cumulative });
  }
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

/** A layer's tree as dive builds it: whiteouts stay nodes named ".wh.X"; opaque markers are dropped. */
function buildLayerTree(entries: LayerEntry[]): PathNode<DiveData> {
  const root = new PathNode<DiveData>('', null, IMPLICIT);
  for (const entry of entries) {
    if (entry.type === 'opaque') continue;
    const parts = pathComponents(entry.path);
    const last = parts.length - 1;
    if (entry.type === 'whiteout') parts[last] = WHITEOUT_PREFIX + (parts[last] ?? '');
    addPath(root, parts, {
      size: entry.size,
      isDir: entry.type === 'directory',
      whiteout: entry.type === 'whiteout',
    });
  }
  return root;
}

/** dive's AddPath: creates missing parents with an empty payload, replaces the last node's payload. */
function addPath(root: PathNode<DiveData>, parts: string[], data: DiveData): void {
  let node = root;
  for (const [i, name] of parts.entries()) {
    const existing = node.child(name);
    if (existing !== undefined) {
      node = existing;
    } else {
      if (name.startsWith(AUFS_META_PREFIX)) return;
      node = node.addChild(name, IMPLICIT);
    }
    if (i === parts.length - 1) node.data = data;
  }
}

/** dive's Stack: every node of the upper tree, children first; whiteouts remove, others add. */
function stackOnto(stacked: PathNode<DiveData>, upper: PathNode<DiveData>): void {
  upper.visitChildFirst((node) => {
    const path = divePath(node);
    if (node.data.whiteout) {
      stacked.find(path)?.detach();
    } else {
      addPath(stacked, pathComponents(path), node.data);
    }
  });
}

/** A deleted directory counts the sizes of everything it held, itself included. */
function subtreeSize(node: PathNode<DiveData>): number {
  let size = node.data.size;
  for (const child of node.descendants()) size += child.data.size;
  return size;
}

/** A whiteout node's path is the path it deletes (dive strips the prefix from the leaf's name). */
function divePath(node: PathNode<DiveData>): string {
  const path = node.path();
  if (!node.data.whiteout) return path;
  const slash = path.lastIndexOf('/');
  return path.slice(0, slash + 1) + node.name.slice(WHITEOUT_PREFIX.length);
}
