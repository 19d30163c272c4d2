import type { FileList, MergedFile } from '../model/index.js';
import type { HardLinks } from './hard-links.js';
import { NOTHING } from './layer-changes.js';
import type { StackedEntries } from './stacked-entries.js';

/**
 * The final filesystem as serials of the entries that wrote each path, in path order; a
 * `MergedFile` is built when it is read. A million files cost 4 bytes each here.
 */
export class MergedFiles implements FileList {
  constructor(
    private readonly entries: StackedEntries,
    /** Sorted by path. */
    private readonly visible: Int32Array,
    private readonly links: HardLinks,
  ) {}

  get length(): number {
    return this.visible.length;
  }

  has(path: string): boolean {
    return this.#pathAt(this.#lowerBound(path)) === path;
  }

  get(path: string): MergedFile | undefined {
    const position = this.#lowerBound(path);
    return this.#pathAt(position) === path ? this.#file(this.visible[position] ?? 0) : undefined;
  }

  *under(path: string): Iterable<MergedFile> {
    // Paths with a common prefix are adjacent in path (string) order.
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (let position = this.#lowerBound(prefix); position < this.visible.length; position++) {
      const serial = this.visible[position] ?? 0;
      if (!this.entries.path(serial).startsWith(prefix)) return;
      yield this.#file(serial);
    }
  }

  *[Symbol.iterator](): Iterator<MergedFile> {
    for (const serial of this.visible) yield this.#file(serial);
  }

  #pathAt(position: number): string | undefined {
    return position < this.visible.length ? this.entries.path(this.visible[position] ?? 0) : undefined;
  }

  /** The first position whose path is not before `path`. */
  #lowerBound(path: string): number {
    let low = 0;
    let high = this.visible.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.entries.path(this.visible[middle] ?? 0) < path) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #file(serial: number): MergedFile {
    const { layer, index } = this.entries.serials.ref(serial);
    const table = this.entries.tables[layer];
    if (table === undefined) throw new RangeError(`no layer ${layer}`);
    const type = table.type(index);
    const path = table.path(index);
    const owner = {
      mode: table.mode(index),
      uid: table.uid(index),
      gid: table.gid(index),
      layerIndex: layer,
    };
    switch (type) {
      case 'file':
        return {
          path,
          type,
          size: table.size(index),
          ...owner,
          contentHash: table.contentHash(index) ?? null,
          linkTarget: null,
        };
      case 'hardlink': {
        // A hard link's bytes are its file's (none when it points to no file).
        const inode = this.links.inodeOf(serial);
        return {
          path,
          type,
          size: inode === NOTHING ? 0 : this.entries.size(inode),
          ...owner,
          contentHash: this.links.hashOf(this.entries, serial),
          linkTarget: table.linkTarget(index) ?? null,
        };
      }
      case 'symlink':
        return {
          path,
          type,
          size: 0,
          ...owner,
          contentHash: null,
          linkTarget: table.linkTarget(index) ?? '',
        };
      default:
        return { path, type: 'other', size: 0, ...owner, contentHash: null, linkTarget: null };
    }
  }
}
