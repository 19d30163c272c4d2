import type {
  FilesystemMetrics,
  LayerChanges,
  LayerContents,
  LayerEntry,
  MergedFile,
} from '../model/index.js';
import { emptyChanges } from './layer-changes.js';
import { PathNode, pathComponents } from './path-tree.js';

/** A path of the merged filesystem. `inode` groups hard links so their bytes count once. */
interface FsData {
  type: 'directory' | MergedFile['type'];
  size: number;
  mode: number;
  uid: number;
  gid: number;
  contentHash: string | null;
  linkTarget: string | null;
  layerIndex: number;
  inode: number;
}

const NO_INODE = -1;

/**
 * Applies the layers as a container runtime does (OCI image spec, "Applying changesets"):
 * whiteouts and opaque markers hide what the layers below hold, a later entry replaces an earlier
 * one, a non-directory replaces a directory with everything in it. Measures what each layer
 * added, modified and removed, and what squashing the image would reclaim.
 */
export function mergeLayers(layers: LayerContents[]): FilesystemMetrics {
  const root = new PathNode<FsData>('', null, directoryData(-1));
  const inodeSizes = new Map<number, number>();
  let nextInode = 0;
  let storedBytes = 0;

  const layerChanges = layers.map((layer, layerIndex): LayerChanges => {
    const changes = emptyChanges();
    const removeSubtree = (node: PathNode<FsData>, includeSelf: boolean): void => {
      const nodes = [...node.descendants()];
      if (includeSelf) nodes.push(node);
      for (const removed of nodes) {
        if (removed.data.type === 'directory') continue;
        changes.removedFiles += 1;
        changes.removedBytes += removed.data.type === 'file' ? removed.data.size : 0;
      }
      if (includeSelf) node.detach();
      else node.children = null;
    };

    // Markers apply to the layers below only, so they go first: an opaque directory or a
    // whiteout never hides what the same layer adds.
    for (const entry of layer.entries) {
      if (entry.type !== 'opaque' && entry.type !== 'whiteout') continue;
      const node = root.find(entry.path);
      if (node !== undefined) removeSubtree(node, entry.type === 'whiteout');
    }

    for (const entry of layer.entries) {
      if (entry.type === 'opaque' || entry.type === 'whiteout') continue;
      if (entry.type === 'file') storedBytes += entry.size;
      const parent = ensureParents(root, entry.path, layerIndex, removeSubtree);
      const name = pathComponents(entry.path).at(-1) ?? '';
      const existing = parent.child(name);
      const data = entryData(entry, layerIndex, () => nextInode++, root);
      if (data.type === 'file') inodeSizes.set(data.inode, data.size);

      if (existing === undefined) {
        parent.addChild(name, data);
        if (data.type !== 'directory') {
          changes.addedFiles += 1;
          changes.addedBytes += data.type === 'file' ? data.size : 0;
        }
        continue;
      }
      // A path written twice by the same layer is one change, not two.
      const sameLayer = existing.data.layerIndex === layerIndex;
      if (data.type === 'directory') {
        if (existing.data.type !== 'directory') countRemoved(changes, existing.data, sameLayer);
        existing.data = {
          ...data,
          layerIndex: existing.data.type === 'directory' ? existing.data.layerIndex : layerIndex,
        };
        continue;
      }
      if (existing.data.type === 'directory') {
        if (!sameLayer) removeSubtree(existing, false);
        existing.children = null;
        existing.data = data;
        changes.addedFiles += 1;
        changes.addedBytes += data.type === 'file' ? data.size : 0;
        continue;
      }
      if (!sameLayer) {
        const bytes = data.type === 'file' ? data.size : 0;
        changes.modifiedFiles += 1;
        changes.modifiedBytes += bytes;
        if (sameContent(existing.data, data)) {
          changes.metadataOnlyFiles += 1;
          changes.metadataOnlyBytes += bytes;
        }
      }
      existing.data = data;
    }
    return changes;
  });

  const finalFiles: MergedFile[] = [];
  const visibleInodes = new Set<number>();
  for (const node of root.descendants()) {
    const data = node.data;
    if (data.type === 'directory') continue;
    if (data.inode !== NO_INODE) visibleInodes.add(data.inode);
    finalFiles.push({
      path: node.path(),
      type: data.type,
      size: data.type === 'hardlink' ? (inodeSizes.get(data.inode) ?? 0) : data.size,
      mode: data.mode,
      uid: data.uid,
      gid: data.gid,
      contentHash: data.contentHash,
      linkTarget: data.linkTarget,
      layerIndex: data.layerIndex,
    });
  }
  finalFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let visibleBytes = 0;
  for (const inode of visibleInodes) visibleBytes += inodeSizes.get(inode) ?? 0;
  return {
    storedBytes,
    visibleBytes,
    reclaimableBytes: storedBytes - visibleBytes,
    layerChanges,
    finalFiles,
  };
}

function countRemoved(changes: LayerChanges, data: FsData, sameLayer: boolean): void {
  if (sameLayer) return;
  changes.removedFiles += 1;
  changes.removedBytes += data.type === 'file' ? data.size : 0;
}

function directoryData(layerIndex: number): FsData {
  return {
    type: 'directory',
    size: 0,
    mode: 0o755,
    uid: 0,
    gid: 0,
    contentHash: null,
    linkTarget: null,
    layerIndex,
    inode: NO_INODE,
  };
}

/** Walks to the parent of `path`, creating directories tar left implicit and replacing files in the way. */
function ensureParents(
  root: PathNode<FsData>,
  path: string,
  layerIndex: number,
  removeSubtree: (node: PathNode<FsData>, includeSelf: boolean) => void,
): PathNode<FsData> {
  let node = root;
  for (const name of pathComponents(path).slice(0, -1)) {
    let next = node.child(name);
    if (next !== undefined && next.data.type !== 'directory') {
      removeSubtree(next, true);
      next = undefined;
    }
    node = next ?? node.addChild(name, directoryData(layerIndex));
  }
  return node;
}

function entryData(
  entry: LayerEntry,
  layerIndex: number,
  newInode: () => number,
  root: PathNode<FsData>,
): FsData {
  const data: FsData = {
    type: 'other',
    size: 0,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    contentHash: null,
    linkTarget: null,
    layerIndex,
    inode: NO_INODE,
  };
  switch (entry.type) {
    case 'directory':
      data.type = 'directory';
      break;
    case 'file':
      data.type = 'file';
      data.size = entry.size;
      data.contentHash = entry.contentHash ?? null;
      data.inode = newInode();
      break;
    case 'hardlink': {
      // A hard link shares its target's inode: its bytes are stored and visible once.
      const target = entry.linkTarget === undefined ? undefined : root.find(entry.linkTarget);
      data.type = 'hardlink';
      data.contentHash = entry.contentHash ?? target?.data.contentHash ?? null;
      data.linkTarget = entry.linkTarget ?? null;
      if (target !== undefined && target.data.type !== 'directory') data.inode = target.data.inode;
      break;
    }
    case 'symlink':
      data.type = 'symlink';
      data.linkTarget = entry.linkTarget ?? '';
      break;
  }
  return data;
}

/** Same bytes (or the same link): only mode, owner or the like changed. */
function sameContent(before: FsData, after: FsData): boolean {
  if (after.type === 'symlink') return before.type === 'symlink' && before.linkTarget === after.linkTarget;
  if (after.type === 'other') return before.type === 'other';
  return (
    before.type !== 'symlink' &&
    before.type !== 'other' &&
    before.contentHash !== null &&
    before.contentHash === after.contentHash
  );
}
