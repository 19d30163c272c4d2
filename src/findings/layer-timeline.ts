import type { Analysis, EntryFate, EntryTable, EntryType, LayerEntry } from '../model/index.js';
import type { Claim } from './rule.js';

/** Where one stored entry ended up, its replacement tracked too. */
export type Fate = EntryFate<TrackedEntry>;

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
  ) {}

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
  /** Every file, link and special entry of every layer, in layer then tar order. */
  entries: Iterable<TrackedEntry>;
  /** Those still visible in the final filesystem. */
  visible: Iterable<TrackedEntry>;
}

/**
 * The layers' stored entries with what the merge (OCI changeset rules) made of each, so rules
 * can say "written by layer 3, deleted by layer 5" and claim those exact bytes. Each iteration
 * builds its entries afresh.
 */
export function timelineOf(analysis: Analysis): Timeline {
  return {
    get entries() {
      return tracked(analysis, false);
    },
    get visible() {
      return tracked(analysis, true);
    },
  };
}

function tracked(analysis: Analysis, visibleOnly: boolean): Iterable<TrackedEntry> {
  return { [Symbol.iterator]: () => new TrackedEntries(analysis, visibleOnly) };
}

/**
 * The walk over every layer's entries, as a plain iterator: each rule walks it, and a
 * generator's suspend and resume at every entry cost more than the walk itself (2 to 3 % of a
 * small image's whole run went to it, TurboFan optimising it included).
 */
class TrackedEntries implements Iterator<TrackedEntry> {
  private layer = 0;
  private index = -1;

  constructor(
    private readonly analysis: Analysis,
    private readonly visibleOnly: boolean,
  ) {}

  next(): IteratorResult<TrackedEntry> {
    const { analysis } = this;
    for (; this.layer < analysis.contents.length; this.layer++, this.index = -1) {
      const table = analysis.contents[this.layer]!.entries;
      while (++this.index < table.length) {
        const type = table.type(this.index);
        if (type === 'directory' || type === 'whiteout' || type === 'opaque') continue;
        if (
          this.visibleOnly &&
          analysis.fates.of({ layer: this.layer, index: this.index }).kind !== 'visible'
        )
          continue;
        return { value: new TrackedEntry(analysis, this.layer, this.index), done: false };
      }
    }
    return { value: undefined, done: true };
  }
}

/** The first visible entry at `path`, if any. */
export function visibleEntry(analysis: Analysis, path: string): TrackedEntry | undefined {
  for (const entry of timelineOf(analysis).visible) if (entry.path === path) return entry;
  return undefined;
}

/** The identity of a stored entry, for counting its bytes once across findings (a number: fast to hash). */
export function entryKey(layer: number, index: number): number {
  return layer * 2 ** 32 + index;
}
