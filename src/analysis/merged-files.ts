import type { EntryTable, FileList, FilePeek, MergedFile } from '../model/index.js';
import type { HardLinks } from './hard-links.js';
import { SortedPathLookup } from './sorted-path-lookup.js';
import { NOTHING } from './layer-changes.js';
import type { StackedEntries } from './stacked-entries.js';

/**
 * The final filesystem as serials of the entries that wrote each path, in path order; a
 * `MergedFile` is built when it is read. A million files cost 12 bytes each here: the serial and
 * the path string (the entry's own), which lookups compare without finding the entry's layer.
 */
export class MergedFiles implements FileList {
  readonly #files: SortedPathLookup;
  readonly #directories: SortedPathLookup;

  constructor(
    private readonly entries: StackedEntries,
    /** Sorted by path. */
    private readonly visible: Int32Array,
    /** The path of each position. */
    paths: readonly string[],
    private readonly links: HardLinks,
    /** The final filesystem's directories but the root, sorted by path. */
    directories: readonly string[],
  ) {
    this.#files = new SortedPathLookup(paths);
    this.#directories = new SortedPathLookup(directories);
  }

  get length(): number {
    return this.visible.length;
  }

  has(path: string): boolean {
    return this.#files.position(path) >= 0;
  }

  isDirectory(path: string): boolean {
    return this.#directories.position(path) >= 0;
  }

  get(path: string): MergedFile | undefined {
    const position = this.#files.position(path);
    return position < 0 ? undefined : this.#file(this.visible[position] ?? 0);
  }

  peek(path: string, into: FilePeek): boolean {
    const position = this.#files.position(path);
    if (position < 0) return false;
    const serial = this.visible[position] ?? 0;
    const layer = this.entries.serials.layerOf(serial);
    into.layerIndex = layer;
    this.#describe(serial, this.#table(layer), serial - this.entries.serials.start(layer), into);
    return true;
  }

  *under(path: string): Iterable<MergedFile> {
    // Paths with a common prefix are adjacent in path (string) order.
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const paths = this.#files.paths;
    for (let position = this.#files.lowerBound(prefix); position < this.visible.length; position++) {
      if (!(paths[position] ?? '').startsWith(prefix)) return;
      yield this.#file(this.visible[position] ?? 0);
    }
  }

  *[Symbol.iterator](): Iterator<MergedFile> {
    for (const serial of this.visible) yield this.#file(serial);
  }

  #file(serial: number): MergedFile {
    const layer = this.entries.serials.layerOf(serial);
    const index = serial - this.entries.serials.start(layer);
    const table = this.#table(layer);
    const file = new FinalFile(this, serial, table, index, layer);
    this.#describe(serial, table, index, file);
    return file;
  }

  #table(layer: number): EntryTable {
    const table = this.entries.tables[layer];
    if (table === undefined) throw new RangeError(`no layer ${layer}`);
    return table;
  }

  /** Sets the type, size and link target of the final file `serial` (entry `index` of `table`); the others are as made. */
  #describe(serial: number, table: EntryTable, index: number, file: Omit<FilePeek, 'layerIndex'>): void {
    file.type = 'other';
    file.size = 0;
    file.linkTarget = null;
    switch (table.type(index)) {
      case 'file':
        file.type = 'file';
        file.size = table.size(index);
        break;
      case 'hardlink': {
        // A hard link's bytes are its file's (none when it points to no file).
        const inode = this.links.inodeOf(serial);
        file.type = 'hardlink';
        file.size = inode === NOTHING ? 0 : this.entries.size(inode);
        file.linkTarget = table.linkTarget(index) ?? null;
        break;
      }
      case 'symlink':
        file.type = 'symlink';
        file.linkTarget = table.linkTarget(index) ?? '';
        break;
    }
  }

  /** The content hash of the final file `serial` (a hard link's is its own or its target's). */
  hashOf(serial: number, table: EntryTable, index: number): string | null {
    const type = table.type(index);
    if (type === 'file') return table.contentHash(index) ?? null;
    return type === 'hardlink' ? this.links.hashOf(this.entries, serial) : null;
  }
}

/**
 * A final file as `MergedFiles` hands it out. Its content hash is made (hex, from the table's
 * 16 bytes) when it is read: the package inventory reads thousands of files and no hash, `diff`
 * every hash. Read its fields; a spread would leave the hash out.
 */
class FinalFile implements MergedFile {
  readonly path: string;
  type: MergedFile['type'] = 'other';
  size = 0;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly layerIndex: number;
  linkTarget: string | null = null;
  readonly #files: MergedFiles;
  readonly #serial: number;
  readonly #table: EntryTable;
  readonly #index: number;
  #contentHash: string | null | undefined;

  constructor(files: MergedFiles, serial: number, table: EntryTable, index: number, layerIndex: number) {
    this.path = table.path(index);
    this.mode = table.mode(index);
    this.uid = table.uid(index);
    this.gid = table.gid(index);
    this.layerIndex = layerIndex;
    this.#files = files;
    this.#serial = serial;
    this.#table = table;
    this.#index = index;
  }

  get contentHash(): string | null {
    if (this.#contentHash === undefined)
      this.#contentHash = this.#files.hashOf(this.#serial, this.#table, this.#index);
    return this.#contentHash;
  }
}
