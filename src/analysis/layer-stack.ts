import { grown, TYPE_CODE, type EntryTable, type LayerContents } from '../model/index.js';
import { StackedEntries } from './stacked-entries.js';
import { PathIndex } from './path-index.js';

/**
 * A stack of layers as the merge and dive's metrics walk it: every entry by serial, with the id
 * of its path in a shared PathIndex, so what they keep per entry or per path fits in typed arrays.
 */
export class LayerStack {
  readonly paths: PathIndex;
  readonly entries: StackedEntries;
  /** Path id of each serial. */
  readonly pathIds: Int32Array;
  /** By serial, for hard links: the path id of the target (null while the stack has no hard link). */
  readonly linkTargetIds: Int32Array | null;
  /**
   * By serial, for whiteouts: the path id of the node dive's layer tree gives it, ".wh.X" beside
   * X (-1 for others; null while the stack has no whiteout).
   */
  readonly whiteoutNodeIds: Int32Array | null;

  /**
   * `paths` are the layers' paths numbered already (`LayerPaths`, while they were read): the
   * layers it has not numbered are numbered here.
   */
  constructor(layers: readonly LayerContents[], paths: LayerPaths = new LayerPaths()) {
    this.paths = paths.index;
    this.entries = new StackedEntries(layers.map((layer) => layer.entries));
    const { serials, tables } = this.entries;
    this.pathIds = new Int32Array(serials.total);
    let linkTargetIds: Int32Array | null = null;
    let whiteoutNodeIds: Int32Array | null = null;
    const whiteouts = tables.map((table, layer) => {
      const numbered = paths.numbered(layer, table);
      const start = serials.start(layer);
      this.pathIds.set(numbered.pathIds, start);
      if (numbered.linkTargetIds !== null) {
        linkTargetIds ??= new Int32Array(serials.total);
        linkTargetIds.set(numbered.linkTargetIds, start);
      }
      return numbered.whiteouts;
    });
    // The whiteouts' nodes are numbered once every real path has its id, in serial order (each
    // layer's list is in entry order), without a look at the other serials.
    whiteouts.forEach((indexes, layer) => {
      const start = serials.start(layer);
      for (const index of indexes) {
        whiteoutNodeIds ??= new Int32Array(serials.total).fill(-1);
        whiteoutNodeIds[start + index] = this.paths.whiteoutNode(this.pathIds[start + index] ?? 0);
      }
    });
    this.paths.seal();
    this.linkTargetIds = linkTargetIds;
    this.whiteoutNodeIds = whiteoutNodeIds;
  }
}

/** One layer's entries numbered in a PathIndex. */
interface NumberedLayer {
  /** Path id of each entry. */
  pathIds: Int32Array;
  /** For hard links: the path id of the target (null when the layer has none). */
  linkTargetIds: Int32Array | null;
  /** Entries that are whiteouts of a path other than the root (dive gives those a node). */
  whiteouts: number[];
}

/**
 * The paths of an image's layers numbered as each layer's entries arrive, in any order: the
 * part of a LayerStack one layer makes, done while other layers are still being read. The
 * numbering depends on the order, what is computed from it does not (paths and children are
 * compared by name wherever an order matters).
 */
export class LayerPaths {
  readonly index = new PathIndex();
  readonly #layers = new Map<number, { table: EntryTable; numbered: NumberedLayer }>();
  /** By path id: the files and hard links written there, counted up to 2 (a link's target: 2). */
  #writes = new Uint8Array(1024);

  /**
   * Whether more than one file or hard link of the layers numbered so far is written at path
   * `id`, or a hard link names it: where the merge compares content hashes.
   */
  writtenAgain(id: number): boolean {
    return (this.#writes[id] ?? 0) > 1;
  }

  /** Numbers layer `layer`'s paths (once: a table seen before is not numbered again). */
  add(layer: number, table: EntryTable): void {
    if (this.#layers.get(layer)?.table !== table)
      this.#layers.set(layer, { table, numbered: this.#number(table) });
  }

  /** Layer `layer`'s paths, numbered now if `add` did not number this table. */
  numbered(layer: number, table: EntryTable): NumberedLayer {
    this.add(layer, table);
    const numbered = this.#layers.get(layer)?.numbered;
    if (numbered === undefined) throw new RangeError(`no layer ${layer}`);
    return numbered;
  }

  #number(table: EntryTable): NumberedLayer {
    const pathIds = new Int32Array(table.length);
    let linkTargetIds: Int32Array | null = null;
    const whiteouts: number[] = [];
    const types = table.typeCodes();
    for (let index = 0; index < table.length; index++) {
      const path = table.path(index);
      const id = this.index.intern(path);
      pathIds[index] = id;
      const code = types[index];
      if (code === TYPE_CODE.file || code === TYPE_CODE.hardlink) this.#wrote(id, 1);
      if (code === TYPE_CODE.hardlink) {
        linkTargetIds ??= new Int32Array(table.length);
        const target = this.index.intern(table.linkTarget(index) ?? '/');
        linkTargetIds[index] = target;
        this.#wrote(target, 2);
      }
      // A whiteout of the root has no name to prefix: dive's tree gets no node for it.
      if (code === TYPE_CODE.whiteout && path !== '/') whiteouts.push(index);
    }
    return { pathIds, linkTargetIds, whiteouts };
  }

  #wrote(id: number, writes: number): void {
    if (id >= this.#writes.length)
      this.#writes = grown(this.#writes, new Uint8Array(Math.max(id + 1, this.#writes.length * 2)));
    this.#writes[id] = Math.min(2, (this.#writes[id] ?? 0) + writes);
  }
}
