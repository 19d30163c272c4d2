import type { LayerChanges } from '../model/index.js';
import type { StackedEntries } from './stacked-entries.js';

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

/** A path's state: the serial of the non-directory entry it holds, or NOTHING (nothing, or a directory). */
export const NOTHING = -1;

/** What the tracker asks of the merge: a state's content hash (a hard link's is its target's). */
export type HashOf = (serial: number) => string | null;

/**
 * A layer's changes as its net effect on each path: the state below the layer against the
 * state above it. A path written twice, or deleted and written again, by one layer is one
 * change, measured by what the layer leaves. Paths new to the image are counted as they are
 * written (a million-file base layer records nothing); paths that existed below have their
 * prior state noted the first time the layer touches them and are compared at the end.
 */
export class ChangeTracker {
  readonly changes = emptyChanges();
  /** By path id: the state below this layer. */
  readonly #below = new Map<number, number>();
  /** The layer's serials: from `#start` up to `#end`. */
  readonly #start: number;
  readonly #end: number;

  constructor(
    private readonly entries: StackedEntries,
    layer: number,
    private readonly hashOf: HashOf,
  ) {
    this.#start = entries.serials.start(layer);
    this.#end = entries.serials.end(layer);
  }

  /** Before path `id` changes: `state` is what it holds now. */
  touch(id: number, state: number): void {
    if (this.#below.has(id)) return;
    if (state >= this.#start && state < this.#end) {
      // Written earlier by this same layer as a new path: that addition is undone.
      this.changes.addedFiles -= 1;
      this.changes.addedBytes -= this.#bytes(state);
      return;
    }
    this.#below.set(id, state);
  }

  /** Path `id` now holds an entry of this layer, which stores `bytes` (a regular file's size, else 0). */
  wrote(id: number, bytes: number): void {
    if (this.#below.has(id)) return;
    this.changes.addedFiles += 1;
    this.changes.addedBytes += bytes;
  }

  /** Compares every path that existed below with what it holds now. */
  finish(stateOf: (id: number) => number): LayerChanges {
    const changes = this.changes;
    for (const [id, before] of this.#below) {
      const after = stateOf(id);
      if (before === NOTHING && after === NOTHING) continue;
      if (after === NOTHING) {
        changes.removedFiles += 1;
        changes.removedBytes += this.#bytes(before);
      } else if (before === NOTHING) {
        changes.addedFiles += 1;
        changes.addedBytes += this.#bytes(after);
      } else {
        changes.modifiedFiles += 1;
        changes.modifiedBytes += this.#bytes(after);
        if (this.#sameContent(before, after)) {
          changes.metadataOnlyFiles += 1;
          changes.metadataOnlyBytes += this.#bytes(after);
        }
      }
    }
    return changes;
  }

  /** Bytes a state stores: a regular file's size; links and others store none. */
  #bytes(state: number): number {
    return this.entries.type(state) === 'file' ? this.entries.size(state) : 0;
  }

  /** Same bytes (or the same link): only mode, owner or the like changed. */
  #sameContent(before: number, after: number): boolean {
    const beforeType = this.entries.type(before);
    const afterType = this.entries.type(after);
    if (afterType === 'symlink') {
      return (
        beforeType === 'symlink' &&
        (this.entries.linkTarget(before) ?? '') === (this.entries.linkTarget(after) ?? '')
      );
    }
    if (afterType !== 'file' && afterType !== 'hardlink') return beforeType === afterType;
    if (beforeType !== 'file' && beforeType !== 'hardlink') return false;
    // Bodies of different lengths differ: no hash to compute (it may have been deferred).
    if (
      afterType === 'file' &&
      beforeType === 'file' &&
      this.entries.size(before) !== this.entries.size(after)
    )
      return false;
    const hash = this.hashOf(before);
    return hash !== null && hash === this.hashOf(after);
  }
}
