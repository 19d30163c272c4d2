import type { Analysis, EntryFate, EntryTable, EntryType, LayerEntry } from '../model/index.js';
import type { Claim } from './rule.js';

/** Where one stored entry ended up, its replacement tracked too. */
export type Fate = EntryFate<TrackedEntry>;

const VISIBLE: Fate = Object.freeze({ kind: 'visible' });

/**
 * A non-directory entry of a layer, with what happened to it in the layers above. Built as rules
 * read it (from the entry tables and the merge's fates), not kept: an image can hold millions.
 */
export class TrackedEntry {
  #entry: LayerEntry | undefined;
  #fate: Fate | undefined;

  constructor(
    private readonly analysis: Analysis,
    readonly layer: number,
    /** Index in `analysis.contents[layer].entries`: with the layer, the entry's identity. */
    readonly index: number,
    /** Known to be visible (the walk knows): its fate needs no look-up. */
    visible = false,
  ) {
    if (visible) this.#fate = VISIBLE;
  }

  get entry(): LayerEntry {
    return (this.#entry ??= this.#table().get(this.index));
  }

  // The columns rules filter on, read without building the whole entry (its hash as hex, say).
  get path(): string {
    return this.#table().path(this.index);
  }

  get type(): EntryType {
    return this.#table().type(this.index);
  }

  get size(): number {
    return this.#table().size(this.index);
  }

  get secretKinds(): readonly string[] | undefined {
    return this.#table().secretKinds(this.index);
  }

  /** The entry's bytes as a finding claims them. */
  claim(): Claim {
    return { layer: this.layer, index: this.index, path: this.path, bytes: this.size };
  }

  #table(): EntryTable {
    const table = this.analysis.contents[this.layer]?.entries;
    if (table === undefined) throw new RangeError(`no layer ${this.layer}`);
    return table;
  }

  get fate(): Fate {
    return (this.#fate ??= this.#trackFate(this.analysis.fates.of({ layer: this.layer, index: this.index })));
  }

  #trackFate(fate: EntryFate): Fate {
    switch (fate.kind) {
      case 'visible':
      case 'deleted':
        return fate;
      case 'replaced': {
        const { replacement } = fate;
        return {
          ...fate,
          replacement:
            replacement === null
              ? null
              : new TrackedEntry(this.analysis, replacement.layer, replacement.index),
        };
      }
      case 'rewritten':
        return {
          ...fate,
          replacement: new TrackedEntry(this.analysis, fate.replacement.layer, fate.replacement.index),
        };
    }
  }
}

export interface Timeline {
  /**
   * The stored entries (every file, link and special entry of every layer, in layer then tar
   * order) that `keep` takes. It sees each through one probe, moved along, so a rule that wants a
   * few files of thousands tracks only those.
   */
  where(keep: (probe: EntryProbe) => boolean): TrackedEntry[];
  /** The stored entries no longer visible (deleted, replaced, rewritten): walked once for the rules that share them. */
  readonly hidden: readonly TrackedEntry[];
}

/** The columns of one stored entry a walk's filter reads (one object for the whole walk: never keep it). */
export interface EntryProbe {
  readonly layer: number;
  readonly index: number;
  readonly path: string;
  readonly type: EntryType;
  readonly size: number;
  /** Still visible in the final filesystem (its fate is `visible`). */
  readonly visible: boolean;
  readonly secretKinds: readonly string[] | undefined;
}

class MovingProbe implements EntryProbe {
  layer = 0;
  index = 0;
  visible = false;
  table: EntryTable | undefined;

  get path(): string {
    return this.table?.path(this.index) ?? '';
  }

  get type(): EntryType {
    return this.table?.type(this.index) ?? 'other';
  }

  get size(): number {
    return this.table?.size(this.index) ?? 0;
  }

  get secretKinds(): readonly string[] | undefined {
    return this.table?.secretKinds(this.index);
  }
}

/**
 * The layers' stored entries with what the merge (OCI changeset rules) made of each, so rules
 * can say "written by layer 3, deleted by layer 5" and claim those exact bytes. Each walk
 * builds its entries afresh.
 */
export function timelineOf(analysis: Analysis): Timeline {
  return {
    get hidden() {
      let found = hiddenEntries.get(analysis);
      if (found === undefined) {
        found = this.where((entry) => !entry.visible);
        hiddenEntries.set(analysis, found);
      }
      return found;
    },
    where(keep) {
      const stored = storedEntriesOf(analysis);
      const probe = new MovingProbe();
      const kept: TrackedEntry[] = [];
      probe.layer = -1;
      for (let position = 0; position < stored.length; position++) {
        const layer = stored.layers[position] ?? 0;
        if (layer !== probe.layer) {
          probe.layer = layer;
          probe.table = analysis.contents[layer]?.entries;
        }
        probe.index = stored.indexes[position] ?? 0;
        probe.visible = stored.visible[position] === 1;
        if (keep(probe)) kept.push(new TrackedEntry(analysis, probe.layer, probe.index, probe.visible));
      }
      return kept;
    },
  };
}

/**
 * The non-directory entries of every layer, in layer then tar order, with which are visible:
 * found once per analysis, since a dozen rules walk them (each walk then skips directories and
 * markers, and knows visibility without asking the merge's fates again).
 */
interface StoredEntries {
  length: number;
  layers: Int32Array;
  indexes: Int32Array;
  visible: Uint8Array;
}

const storedEntries = new WeakMap<Analysis, StoredEntries>();
const hiddenEntries = new WeakMap<Analysis, readonly TrackedEntry[]>();

function storedEntriesOf(analysis: Analysis): StoredEntries {
  const known = storedEntries.get(analysis);
  if (known !== undefined) return known;
  let total = 0;
  for (const layer of analysis.contents) total += layer.entries.length;
  const found: StoredEntries = {
    length: 0,
    layers: new Int32Array(total),
    indexes: new Int32Array(total),
    visible: new Uint8Array(total),
  };
  analysis.contents.forEach(({ entries }, layer) => {
    for (let index = 0; index < entries.length; index++) {
      const type = entries.type(index);
      if (type === 'directory' || type === 'whiteout' || type === 'opaque') continue;
      const position = found.length++;
      found.layers[position] = layer;
      found.indexes[position] = index;
      if (analysis.fates.isVisible(layer, index)) found.visible[position] = 1;
    }
  });
  storedEntries.set(analysis, found);
  return found;
}

/** The first visible entry at `path`, if any. */
export function visibleEntry(analysis: Analysis, path: string): TrackedEntry | undefined {
  // The final file at `path` names the layer that holds it: the walk starts at that layer.
  const layerIndex = analysis.finalFiles.get(path)?.layerIndex;
  if (layerIndex === undefined) return undefined;
  const stored = storedEntriesOf(analysis);
  for (let position = firstOfLayer(stored, layerIndex); position < stored.length; position++) {
    if (stored.visible[position] !== 1) continue;
    const layer = stored.layers[position] ?? 0;
    const index = stored.indexes[position] ?? 0;
    if (analysis.contents[layer]?.entries.path(index) === path)
      return new TrackedEntry(analysis, layer, index, true);
  }
  return undefined;
}

/** The first position of `layer`'s entries (positions are in layer order). */
function firstOfLayer(stored: StoredEntries, layer: number): number {
  let low = 0;
  let high = stored.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((stored.layers[middle] ?? 0) < layer) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The identity of a stored entry, for counting its bytes once across findings (a number: fast to hash). */
export function entryKey(layer: number, index: number): number {
  return layer * 2 ** 32 + index;
}
