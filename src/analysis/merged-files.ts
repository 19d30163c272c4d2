import type { EntryTable, FileList, MergedFile } from '../model/index.js';
import type { EntrySerials } from './entry-serials.js';

/** What a hard link of the final filesystem shares with the file it points to. */
export interface LinkShare {
  /** Bytes of the file it points to (0 when it points to no file). */
  size: number;
  contentHash: string | null;
}

/**
 * The final filesystem as serials of the entries that wrote each path, in path order; a
 * `MergedFile` is built when it is read. A million files cost 4 bytes each here.
 */
export class MergedFiles implements FileList {
  constructor(
    private readonly tables: readonly EntryTable[],
    private readonly serials: EntrySerials,
    /** Sorted by path. */
    private readonly visible: Int32Array,
    /** By serial: the hard links among them. */
    private readonly links: ReadonlyMap<number, LinkShare>,
  ) {}

  get length(): number {
    return this.visible.length;
  }

  has(path: string): boolean {
    let low = 0;
    let high = this.visible.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = this.#path(this.visible[middle] ?? 0);
      if (found === path) return true;
      if (found < path) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  *[Symbol.iterator](): Iterator<MergedFile> {
    for (const serial of this.visible) yield this.#file(serial);
  }

  #path(serial: number): string {
    const { layer, index } = this.serials.ref(serial);
    return this.tables[layer]?.path(index) ?? '';
  }

  #file(serial: number): MergedFile {
    const { layer, index } = this.serials.ref(serial);
    const table = this.tables[layer];
    if (table === undefined) throw new RangeError(`no layer ${layer}`);
    const type = table.type(index);
    const link = this.links.get(serial);
    const fileType = type === 'file' || type === 'symlink' || type === 'hardlink' ? type : 'other';
    return {
      path: table.path(index),
      type: fileType,
      size: link !== undefined ? link.size : fileType === 'file' ? table.size(index) : 0,
      mode: table.mode(index),
      uid: table.uid(index),
      gid: table.gid(index),
      contentHash:
        link !== undefined
          ? link.contentHash
          : fileType === 'file'
            ? (table.contentHash(index) ?? null)
            : null,
      linkTarget:
        fileType === 'symlink'
          ? (table.linkTarget(index) ?? '')
          : fileType === 'hardlink'
            ? (table.linkTarget(index) ?? null)
            : null,
      layerIndex: layer,
    };
  }
}
