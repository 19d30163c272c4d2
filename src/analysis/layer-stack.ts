import type { EntryTable, EntryType, LayerContents } from '../model/index.js';
import { EntrySerials } from './entry-serials.js';
import { PathIndex } from './path-index.js';

const WHITEOUT_PREFIX = '.wh.';

/**
 * A stack of layers as the merge and dive's metrics walk it: every entry by serial, with the id
 * of its path in a shared PathIndex, so what they keep per entry or per path fits in typed arrays.
 */
export class LayerStack {
  readonly paths = new PathIndex();
  readonly serials: EntrySerials;
  readonly tables: readonly EntryTable[];
  /** Path id of each serial. */
  readonly pathIds: Int32Array;
  /** By a hard link's serial: the path id of its target. */
  readonly linkTargetIds = new Map<number, number>();
  /** By a whiteout's serial: the path id of the node dive's layer tree gives it, ".wh.X" beside X. */
  readonly whiteoutNodeIds = new Map<number, number>();

  constructor(layers: readonly LayerContents[]) {
    this.tables = layers.map((layer) => layer.entries);
    this.serials = new EntrySerials(this.tables.map((table) => table.length));
    this.pathIds = new Int32Array(this.serials.total);
    let serial = 0;
    for (const table of this.tables) {
      for (let index = 0; index < table.length; index++, serial++) {
        const path = table.path(index);
        this.pathIds[serial] = this.paths.intern(path);
        const type = table.type(index);
        if (type === 'hardlink')
          this.linkTargetIds.set(serial, this.paths.intern(table.linkTarget(index) ?? '/'));
        // A whiteout of the root has no name to prefix: dive's tree gets no node for it.
        if (type === 'whiteout' && path !== '/') {
          const slash = path.lastIndexOf('/');
          this.whiteoutNodeIds.set(
            serial,
            this.paths.intern(`${path.slice(0, slash + 1)}${WHITEOUT_PREFIX}${path.slice(slash + 1)}`),
          );
        }
      }
    }
    this.paths.seal();
  }

  type(serial: number): EntryType {
    const layer = this.serials.layerOf(serial);
    return this.tables[layer]?.type(serial - this.serials.start(layer)) ?? 'other';
  }

  size(serial: number): number {
    const layer = this.serials.layerOf(serial);
    return this.tables[layer]?.size(serial - this.serials.start(layer)) ?? 0;
  }

  contentHash(serial: number): string | undefined {
    const layer = this.serials.layerOf(serial);
    return this.tables[layer]?.contentHash(serial - this.serials.start(layer));
  }

  linkTarget(serial: number): string | undefined {
    const layer = this.serials.layerOf(serial);
    return this.tables[layer]?.linkTarget(serial - this.serials.start(layer));
  }
}
