// A deliberately simple reference model of applying layers (OCI image spec, "Applying
// changesets"): the filesystem is a flat map from path to node, every operation is a scan of
// that map. Slow and obvious, so the real tree-based implementation can be checked against it.
import type { LayerChanges, LayerContents } from '../../src/model/index.js';

export interface ModelNode {
  type: 'directory' | 'file' | 'symlink' | 'hardlink' | 'other';
  size: number;
  hash: string | null;
  target: string | null;
  inode: number | null;
}

export interface ModelResult {
  /** Non-directory paths of the final filesystem with type and visible size. */
  finalFiles: [string, string, number][];
  storedBytes: number;
  visibleBytes: number;
  reclaimableBytes: number;
  layerChanges: LayerChanges[];
}

const isBelow = (path: string, dir: string): boolean => path.startsWith(dir === '/' ? '/' : `${dir}/`);

function removeBelow(state: Map<string, ModelNode>, dir: string): void {
  for (const path of [...state.keys()]) if (isBelow(path, dir)) state.delete(path);
}

function ancestors(path: string): string[] {
  const parts = path.split('/').slice(1, -1);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

function sameContent(before: ModelNode, after: ModelNode): boolean {
  if (after.type === 'symlink') return before.type === 'symlink' && before.target === after.target;
  if (after.type === 'other') return before.type === 'other';
  return (
    before.type !== 'symlink' && before.type !== 'other' && before.hash !== null && before.hash === after.hash
  );
}

export function referenceMerge(layers: LayerContents[]): ModelResult {
  const state = new Map<string, ModelNode>();
  const inodeSizes = new Map<number, number>();
  let nextInode = 0;
  let storedBytes = 0;
  const layerChanges = layers.map((layer): LayerChanges => {
    const before = new Map(state);
    for (const entry of layer.entries) {
      if (entry.type === 'whiteout') {
        state.delete(entry.path);
        removeBelow(state, entry.path);
      } else if (entry.type === 'opaque') {
        removeBelow(state, entry.path);
      }
    }
    for (const entry of layer.entries) {
      if (entry.type === 'whiteout' || entry.type === 'opaque') continue;
      for (const parent of ancestors(entry.path)) {
        const node = state.get(parent);
        if (node !== undefined && node.type === 'directory') continue;
        state.set(parent, { type: 'directory', size: 0, hash: null, target: null, inode: null });
      }
      const existing = state.get(entry.path);
      if (entry.type === 'directory') {
        if (existing?.type !== 'directory') {
          state.set(entry.path, { type: 'directory', size: 0, hash: null, target: null, inode: null });
        }
        continue;
      }
      if (existing?.type === 'directory') removeBelow(state, entry.path);
      const node: ModelNode = { type: entry.type, size: 0, hash: null, target: null, inode: null };
      if (entry.type === 'file') {
        storedBytes += entry.size;
        node.size = entry.size;
        node.hash = entry.contentHash ?? null;
        node.inode = nextInode++;
        inodeSizes.set(node.inode, entry.size);
      } else if (entry.type === 'hardlink') {
        const target = state.get(entry.linkTarget ?? '');
        node.hash = entry.contentHash ?? target?.hash ?? null;
        node.target = entry.linkTarget ?? null;
        node.inode = target !== undefined && target.type !== 'directory' ? target.inode : null;
      } else if (entry.type === 'symlink') {
        node.target = entry.linkTarget ?? '';
      }
      state.set(entry.path, node);
    }
    return diff(before, state);
  });

  const finalFiles: [string, string, number][] = [];
  const inodes = new Set<number>();
  for (const [path, node] of state) {
    if (node.type === 'directory') continue;
    if (node.inode !== null) inodes.add(node.inode);
    const size =
      node.type === 'hardlink' ? (node.inode === null ? 0 : (inodeSizes.get(node.inode) ?? 0)) : node.size;
    finalFiles.push([path, node.type, size]);
  }
  finalFiles.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const visibleBytes = [...inodes].reduce((sum, inode) => sum + (inodeSizes.get(inode) ?? 0), 0);
  return {
    finalFiles,
    storedBytes,
    visibleBytes,
    reclaimableBytes: storedBytes - visibleBytes,
    layerChanges,
  };
}

/** A layer's net effect on every non-directory path: node identity tells "written by this layer". */
function diff(before: Map<string, ModelNode>, after: Map<string, ModelNode>): LayerChanges {
  const changes: LayerChanges = {
    addedFiles: 0,
    addedBytes: 0,
    modifiedFiles: 0,
    modifiedBytes: 0,
    metadataOnlyFiles: 0,
    metadataOnlyBytes: 0,
    removedFiles: 0,
    removedBytes: 0,
  };
  const bytes = (node: ModelNode): number => (node.type === 'file' ? node.size : 0);
  const nonDir = (map: Map<string, ModelNode>, path: string): ModelNode | null => {
    const node = map.get(path);
    return node === undefined || node.type === 'directory' ? null : node;
  };
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const b = nonDir(before, path);
    const a = nonDir(after, path);
    if (b !== null && a === null) {
      changes.removedFiles += 1;
      changes.removedBytes += bytes(b);
    } else if (b === null && a !== null) {
      changes.addedFiles += 1;
      changes.addedBytes += bytes(a);
    } else if (b !== null && a !== null && a !== b) {
      changes.modifiedFiles += 1;
      changes.modifiedBytes += bytes(a);
      if (sameContent(b, a)) {
        changes.metadataOnlyFiles += 1;
        changes.metadataOnlyBytes += bytes(a);
      }
    }
  }
  return changes;
}
