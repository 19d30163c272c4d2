import type { LayerChanges, LayerEntry, MergedFile } from '../model/index.js';

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

/** What a layer change compares: the state of one non-directory path. */
export interface PathState {
  type: MergedFile['type'];
  size: number;
  contentHash: string | null;
  /** Layer that wrote this version of the path. */
  layerIndex: number;
  /** The entry that wrote it, for a symlink's target. */
  entry: Pick<LayerEntry, 'linkTarget'> | null;
}

/**
 * A layer's changes as its net effect on each path: the state below the layer against the
 * state above it. A path written twice, or deleted and written again, by one layer is one
 * change, measured by what the layer leaves. Paths new to the image are counted as they are
 * written (a million-file base layer records nothing); paths that existed below have their
 * prior state noted the first time the layer touches them and are compared at the end.
 */
export class ChangeTracker {
  readonly changes = emptyChanges();
  private readonly below = new Map<string, PathState | null>();

  constructor(private readonly layerIndex: number) {}

  /** Before `path` changes: `state` is what it holds now (null: nothing, or a directory). */
  touch(path: string, state: PathState | null): void {
    if (this.below.has(path)) return;
    if (state !== null && state.layerIndex === this.layerIndex) {
      // Written earlier by this same layer as a new path: that addition is undone.
      this.changes.addedFiles -= 1;
      this.changes.addedBytes -= fileBytes(state);
      return;
    }
    this.below.set(path, state);
  }

  /** `path` now holds `state` (written by this layer). */
  wrote(path: string, state: PathState): void {
    if (this.below.has(path)) return;
    this.changes.addedFiles += 1;
    this.changes.addedBytes += fileBytes(state);
  }

  /** Compares every path that existed below with what it holds now. */
  finish(stateOf: (path: string) => PathState | null): LayerChanges {
    const changes = this.changes;
    for (const [path, before] of this.below) {
      const after = stateOf(path);
      if (before === null && after === null) continue;
      if (after === null) {
        changes.removedFiles += 1;
        changes.removedBytes += fileBytes(before as PathState);
      } else if (before === null) {
        changes.addedFiles += 1;
        changes.addedBytes += fileBytes(after);
      } else {
        changes.modifiedFiles += 1;
        changes.modifiedBytes += fileBytes(after);
        if (sameContent(before, after)) {
          changes.metadataOnlyFiles += 1;
          changes.metadataOnlyBytes += fileBytes(after);
        }
      }
    }
    return changes;
  }
}

/** Bytes a path's state stores: a regular file's size; links and others store none. */
function fileBytes(state: PathState): number {
  return state.type === 'file' ? state.size : 0;
}

/** Same bytes (or the same link): only mode, owner or the like changed. */
function sameContent(before: PathState, after: PathState): boolean {
  if (after.type === 'symlink') {
    return before.type === 'symlink' && (before.entry?.linkTarget ?? '') === (after.entry?.linkTarget ?? '');
  }
  if (after.type === 'other') return before.type === 'other';
  return (
    before.type !== 'symlink' &&
    before.type !== 'other' &&
    before.contentHash !== null &&
    before.contentHash === after.contentHash
  );
}
