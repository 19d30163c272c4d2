import type {
  FilesystemMetrics,
  LayerChanges,
  LayerContents,
  LayerEntry,
  MergedFile,
} from '../model/index.js';
import { abbreviate, WarningList } from '../layers/index.js';
import { ChangeTracker, type PathState } from './layer-changes.js';
import { PathNode, pathComponents } from './path-tree.js';

/**
 * A path of the merged filesystem. `inode` groups hard links so their bytes count once. Mode,
 * owner, link target and path stay on the entry (null for implicit directories): a million-file
 * layer holds them once, not twice.
 */
interface FsData {
  type: 'directory' | MergedFile['type'];
  size: number;
  contentHash: string | null;
  layerIndex: number;
  inode: Inode | null;
  entry: LayerEntry | null;
}

/** A regular file's bytes, shared by the hard links to it; counted once when any of them is visible. */
interface Inode {
  size: number;
  counted: boolean;
}

/**
 * Applies the layers as a container runtime does (OCI image spec, "Applying changesets"):
 * whiteouts and opaque markers hide what the layers below hold, a later entry replaces an earlier
 * one, a non-directory replaces a directory with everything in it. Measures what each layer
 * added, modified and removed (its net effect, see ChangeTracker), and what squashing the image
 * would reclaim. Entries that cannot mean what they say (a whiteout of nothing, a hard link to
 * nothing) are applied as a runtime would and reported in `warnings`.
 */
export function mergeLayers(layers: LayerContents[]): FilesystemMetrics {
  const root = new PathNode<FsData>('', null, directoryData(-1));
  const warnings: string[] = [];
  let storedBytes = 0;

  const layerChanges = layers.map((layer, layerIndex): LayerChanges => {
    const label = `layer ${layerIndex}`;
    const layerWarnings = new WarningList(label);
    const tracker = new ChangeTracker(layerIndex);
    /** Removes a subtree (or only what is below it), noting each path's state first. */
    const remove = (node: PathNode<FsData>, path: string, includeSelf: boolean): void => {
      const stack: [PathNode<FsData>, string][] = includeSelf ? [[node, path]] : childEntries(node, path);
      for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
        const [current, currentPath] = top;
        tracker.touch(currentPath, stateOf(current));
        for (const child of childEntries(current, currentPath)) stack.push(child);
      }
      if (includeSelf) node.detach();
      else node.children = null;
    };

    // A whiteout is checked against the layers below before any marker of this layer applies.
    for (const entry of layer.entries) {
      if (entry.type === 'whiteout' && root.find(entry.path) === undefined) {
        layerWarnings.add(`${label}: whiteout of "${abbreviate(entry.path)}", which no lower layer holds`);
      }
    }
    // Markers apply to the layers below only, so they go first: an opaque directory or a
    // whiteout never hides what the same layer adds.
    for (const entry of layer.entries) {
      if (entry.type !== 'opaque' && entry.type !== 'whiteout') continue;
      const node = root.find(entry.path);
      if (node !== undefined) remove(node, entry.path, entry.type === 'whiteout');
    }

    for (const entry of layer.entries) {
      if (entry.type === 'opaque' || entry.type === 'whiteout') continue;
      if (entry.type === 'file') storedBytes += entry.size;
      const parent = ensureParents(root, entry.path, layerIndex, remove);
      const name = pathComponents(entry.path).at(-1) ?? '';
      const existing = parent.child(name);
      // A non-directory replaces a directory and all it holds before anything resolves against
      // them (a runtime removes the directory, then creates the entry: a link into it dangles).
      if (existing?.data.type === 'directory' && entry.type !== 'directory')
        remove(existing, entry.path, false);
      const data = entryData(entry, layerIndex, root);
      if (entry.type === 'hardlink' && data.inode === null) {
        layerWarnings.add(`${label}: ${danglingLink(entry, root)}; counted as empty`);
      }

      if (existing === undefined) {
        parent.addChild(name, data);
        if (data.type !== 'directory') tracker.wrote(entry.path, data as PathState);
        continue;
      }
      if (data.type === 'directory') {
        // Over a directory, a directory entry only updates metadata; over anything else it replaces it.
        if (existing.data.type !== 'directory') tracker.touch(entry.path, stateOf(existing));
        existing.data = {
          ...data,
          layerIndex: existing.data.type === 'directory' ? existing.data.layerIndex : layerIndex,
        };
        continue;
      }
      tracker.touch(entry.path, stateOf(existing));
      existing.data = data;
      tracker.wrote(entry.path, data as PathState);
    }
    warnings.push(...layerWarnings.toArray());
    return tracker.finish((path) => stateOf(root.find(path)));
  });

  const finalFiles: MergedFile[] = [];
  let visibleBytes = 0;
  // The tree is released as the list grows: a million-file image never holds both whole.
  for (const node of root.drain()) {
    const data = node.data;
    if (data.type === 'directory') continue;
    const inode = data.inode;
    if (inode !== null && !inode.counted) {
      inode.counted = true;
      visibleBytes += inode.size;
    }
    const entry = data.entry;
    finalFiles.push({
      path: entry?.path ?? node.path(),
      type: data.type,
      size: data.type === 'hardlink' ? (inode?.size ?? 0) : data.size,
      mode: entry?.mode ?? 0,
      uid: entry?.uid ?? 0,
      gid: entry?.gid ?? 0,
      contentHash: data.contentHash,
      linkTarget: linkTarget(data),
      layerIndex: data.layerIndex,
    });
  }
  finalFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    storedBytes,
    visibleBytes,
    reclaimableBytes: storedBytes - visibleBytes,
    layerChanges,
    finalFiles,
    warnings,
  };
}

function linkTarget(data: FsData): string | null {
  if (data.type === 'symlink') return data.entry?.linkTarget ?? '';
  if (data.type === 'hardlink') return data.entry?.linkTarget ?? null;
  return null;
}

/** A non-directory path's state for change counting; null for nothing or a directory. */
function stateOf(node: PathNode<FsData> | undefined): PathState | null {
  if (node === undefined || node.data.type === 'directory') return null;
  // Data objects are replaced, never mutated, so the node's own can stand for its state.
  return node.data as PathState;
}

function childEntries(node: PathNode<FsData>, path: string): [PathNode<FsData>, string][] {
  if (node.children === null) return [];
  const prefix = path === '/' ? '/' : `${path}/`;
  return [...node.children.values()].map((child) => [child, prefix + child.name]);
}

/** Why a hard link shares no file's bytes (tar writes a link's target before the link). */
function danglingLink(entry: LayerEntry, root: PathNode<FsData>): string {
  const target = entry.linkTarget ?? '';
  const node = root.find(target);
  const what =
    node === undefined
      ? 'which neither this layer (before the link) nor a lower one holds'
      : `which is a ${node.data.type === 'directory' ? 'directory' : node.data.type}`;
  return `hard link "${abbreviate(entry.path)}" points to "${abbreviate(target)}", ${what}`;
}

function directoryData(layerIndex: number): FsData {
  return {
    type: 'directory',
    size: 0,
    contentHash: null,
    entry: null,
    layerIndex,
    inode: null,
  };
}

/** Walks to the parent of `path`, creating directories tar left implicit and replacing files in the way. */
function ensureParents(
  root: PathNode<FsData>,
  path: string,
  layerIndex: number,
  remove: (node: PathNode<FsData>, path: string, includeSelf: boolean) => void,
): PathNode<FsData> {
  let node = root;
  const parts = pathComponents(path);
  for (const [i, name] of parts.slice(0, -1).entries()) {
    let next = node.child(name);
    if (next !== undefined && next.data.type !== 'directory') {
      remove(next, `/${parts.slice(0, i + 1).join('/')}`, true);
      next = undefined;
    }
    node = next ?? node.addChild(name, directoryData(layerIndex));
  }
  return node;
}

function entryData(entry: LayerEntry, layerIndex: number, root: PathNode<FsData>): FsData {
  const data: FsData = {
    type: 'other',
    size: 0,
    contentHash: null,
    entry,
    layerIndex,
    inode: null,
  };
  switch (entry.type) {
    case 'directory':
      data.type = 'directory';
      break;
    case 'file':
      data.type = 'file';
      data.size = entry.size;
      data.contentHash = entry.contentHash ?? null;
      data.inode = { size: entry.size, counted: false };
      break;
    case 'hardlink': {
      // A hard link shares its target's inode: its bytes are stored and visible once.
      const target = entry.linkTarget === undefined ? undefined : root.find(entry.linkTarget);
      data.type = 'hardlink';
      data.contentHash = entry.contentHash ?? target?.data.contentHash ?? null;
      if (target !== undefined && target.data.type !== 'directory') data.inode = target.data.inode;
      break;
    }
    case 'symlink':
      data.type = 'symlink';
      break;
  }
  return data;
}
