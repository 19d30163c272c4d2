import type { LayerContents } from '../model/index.js';
import { StackedEntries } from './stacked-entries.js';
import { PathIndex } from './path-index.js';

const WHITEOUT_PREFIX = '.wh.';

/**
 * A stack of layers as the merge and dive's metrics walk it: every entry by serial, with the id
 * of its path in a shared PathIndex, so what they keep per entry or per path fits in typed arrays.
 */
export class LayerStack {
  readonly paths = new PathIndex();
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

  constructor(layers: readonly LayerContents[]) {
    this.entries = new StackedEntries(layers.map((layer) => layer.entries));
    const { serials, tables } = this.entries;
    this.pathIds = new Int32Array(serials.total);
    let linkTargetIds: Int32Array | null = null;
    let whiteoutNodeIds: Int32Array | null = null;
    let serial = 0;
    for (const table of tables) {
      for (let index = 0; index < table.length; index++, serial++) {
        const path = table.path(index);
        this.pathIds[serial] = this.paths.intern(path);
        const type = table.type(index);
        if (type === 'hardlink') {
          linkTargetIds ??= new Int32Array(serials.total);
          linkTargetIds[serial] = this.paths.intern(table.linkTarget(index) ?? '/');
        }
        // A whiteout of the root has no name to prefix: dive's tree gets no node for it. The
        // others are marked here and numbered once every real path has its id.
        if (type === 'whiteout' && path !== '/') {
          whiteoutNodeIds ??= new Int32Array(serials.total).fill(-1);
          whiteoutNodeIds[serial] = 0;
        }
      }
    }
    if (whiteoutNodeIds !== null) this.#numberWhiteoutNodes(whiteoutNodeIds);
    this.paths.seal();
    this.linkTargetIds = linkTargetIds;
    this.whiteoutNodeIds = whiteoutNodeIds;
  }

  /**
   * Gives each whiteout its ".wh.X" node beside X: the path of that name if an entry has it (a
   * directory named so), else one node per target that path lookups do not find (a layer of a
   * million whiteouts would otherwise grow the path map by a million).
   */
  #numberWhiteoutNodes(nodeIds: Int32Array): void {
    const byTarget = new Int32Array(this.paths.size).fill(-1);
    nodeIds.forEach((flag, serial) => {
      if (flag < 0) return;
      const target = this.pathIds[serial] ?? 0;
      let node = byTarget[target] ?? -1;
      if (node < 0) {
        const path = this.paths.path(target);
        const slash = path.lastIndexOf('/');
        // join writes one flat string (a template literal would keep a rope of slices).
        const nodePath = [path.slice(0, slash + 1), path.slice(slash + 1)].join(WHITEOUT_PREFIX);
        node = this.paths.id(nodePath) ?? this.paths.addUnindexed(nodePath, this.paths.parent(target));
        byTarget[target] = node;
      }
      nodeIds[serial] = node;
    });
  }
}
