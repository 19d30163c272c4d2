import { NOTHING } from './layer-changes.js';
import type { StackedEntries } from './stacked-entries.js';

const NO_LINKS = new Int32Array(0);

/**
 * What each hard link applied by the merge shares with its target: the inode (the serial of the
 * regular file whose bytes it points to) and where its content hash comes from (its own entry,
 * or its target's at the time it was applied). Two numbers per entry, allocated only when the
 * image has hard links at all: a layer of a million links costs 8 MB here, not a million objects.
 */
export class HardLinks {
  readonly #inodes: Int32Array;
  /** The serial whose entry holds the link's content hash, or NOTHING. */
  readonly #hashSources: Int32Array;

  constructor(serialCount: number, any: boolean) {
    this.#inodes = any ? new Int32Array(serialCount).fill(NOTHING) : NO_LINKS;
    this.#hashSources = any ? new Int32Array(serialCount).fill(NOTHING) : NO_LINKS;
  }

  /** Applies the hard link `serial` to `target` (a state: a serial or NOTHING); returns its inode. */
  apply(entries: StackedEntries, serial: number, target: number): number {
    const targetType = target === NOTHING ? null : entries.type(target);
    const inode = targetType === 'file' ? target : targetType === 'hardlink' ? this.inodeOf(target) : NOTHING;
    this.#inodes[serial] = inode;
    this.#hashSources[serial] =
      entries.contentHash(serial) !== undefined
        ? serial
        : target === NOTHING
          ? NOTHING
          : this.#hashSource(entries, target);
    return inode;
  }

  /** The inode a hard link shares (NOTHING when it points to no file). */
  inodeOf(serial: number): number {
    return this.#inodes[serial] ?? NOTHING;
  }

  /** A state's content hash; a hard link has its own, else its target's at the time it was applied. */
  hashOf(entries: StackedEntries, serial: number): string | null {
    const source = this.#hashSource(entries, serial);
    return source === NOTHING ? null : (entries.contentHash(source) ?? null);
  }

  #hashSource(entries: StackedEntries, serial: number): number {
    const type = entries.type(serial);
    if (type === 'file') return entries.contentHash(serial) === undefined ? NOTHING : serial;
    return type === 'hardlink' ? (this.#hashSources[serial] ?? NOTHING) : NOTHING;
  }
}
