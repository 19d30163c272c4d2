import {
  FILE_LIKE,
  type Analysis,
  type EntryFate,
  type EntryTable,
  type EntryType,
  type LayerEntry,
} from '../model/index.js';
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
   * order) that `keep` takes, from layer `fromLayer` up. It sees each through one probe, moved
   * along, so a rule that wants a few files of thousands tracks only those. For a filter that
   * depends on the analysis; the others are `selected`. With an `offer`, the filter sees only
   * the entries it names, found as the shared walk finds them.
   */
  where(keep: (probe: EntryProbe) => boolean, fromLayer?: number, offer?: Offer): TrackedEntry[];
  /**
   * The stored entries of a selection (see `selection`): every selection declared so far is
   * found in one walk, the first time one is asked for.
   */
  selected(selection: Selection): readonly TrackedEntry[];
  /** The stored entries no longer visible (deleted, replaced, rewritten). */
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

/**
 * The stored entries a filter can take, as the walk finds them without calling it: those with a
 * path in which `paths` matches (a pattern without flags, tested on the path alone, so `^` and
 * `$` are its ends), those no longer visible (`hidden`), those whose content the reader flagged
 * (`flagged`: it found secrets in them). The filter is then called for such entries (and perhaps
 * a few more: `markMatches`) only, so it must take no other.
 */
export interface Offer {
  readonly paths?: RegExp;
  readonly hidden?: true;
  readonly flagged?: true;
}

/** A filter of stored entries that does not depend on the analysis (made by `selection`). */
export interface Selection {
  readonly keep: (probe: EntryProbe) => boolean;
  /** Null: every stored entry is offered. */
  readonly offer: Offer | null;
}

/** Every selection made, in order: the shared walk evaluates them all. */
const selections: Selection[] = [];

/**
 * Declares a filter of stored entries, once (at module level): the rules' filters are then
 * evaluated in one walk of the image's entries instead of one walk each. Where every selection
 * has an `offer`, that walk calls the filters for the offered entries only (`walkOffered`).
 */
export function selection(keep: (probe: EntryProbe) => boolean, offer: Offer | null = null): Selection {
  if (offer?.paths !== undefined && offer.paths.flags !== '')
    throw new Error(`selection: the pattern /${offer.paths.source}/ of an offer takes no flags`);
  const made = { keep, offer };
  selections.push(made);
  return made;
}

const HIDDEN = selection((entry) => !entry.visible, { hidden: true });

// The columns every filter reads are set as the probe moves; the others are read when asked.
class MovingProbe implements EntryProbe {
  layer = 0;
  index = 0;
  visible = false;
  path = '';
  type: EntryType = 'other';
  table: EntryTable | undefined;

  get size(): number {
    return this.table?.size(this.index) ?? 0;
  }

  get secretKinds(): readonly string[] | undefined {
    return this.table?.secretKinds(this.index);
  }

  /** Moves to entry `index` of `table`, whose visibility the walk knows. */
  moveTo(index: number, visible: boolean): void {
    this.index = index;
    this.visible = visible;
    this.path = this.table?.path(index) ?? '';
    this.type = this.table?.type(index) ?? 'other';
  }

  /** Shows the entry to each of `keeps`, tracking it in `kept` for those that take it. */
  offerTo(
    analysis: Analysis,
    keeps: readonly ((probe: EntryProbe) => boolean)[],
    kept: TrackedEntry[][],
  ): void {
    for (let at = 0; at < keeps.length; at++) {
      if (keeps[at]?.(this) === true)
        kept[at]?.push(new TrackedEntry(analysis, this.layer, this.index, this.visible));
    }
  }
}

/** What each selection took of an analysis's entries, found so far. */
const selectedEntries = new WeakMap<Analysis, Map<Selection, TrackedEntry[]>>();

/**
 * The layers' stored entries with what the merge (OCI changeset rules) made of each, so rules
 * can say "written by layer 3, deleted by layer 5" and claim those exact bytes. Each walk
 * builds its entries afresh.
 */
export function timelineOf(analysis: Analysis): Timeline {
  return {
    get hidden() {
      return this.selected(HIDDEN);
    },
    where(keep, fromLayer = 0, offer) {
      const kept =
        offer === undefined
          ? walk(analysis, [keep], fromLayer)
          : walkOffered(analysis, [keep], [offer], fromLayer);
      return kept[0] ?? [];
    },
    selected(wanted) {
      let found = selectedEntries.get(analysis);
      if (found === undefined) selectedEntries.set(analysis, (found = new Map()));
      const known = found.get(wanted);
      if (known !== undefined) return known;
      // A selection made after the first walk (a module loaded later) gets a walk with the others missing.
      const missing = selections.filter((made) => !found.has(made));
      const keeps = missing.map((made) => made.keep);
      const offers = missing.flatMap((made) => (made.offer === null ? [] : [made.offer]));
      const kept =
        offers.length === missing.length ? walkOffered(analysis, keeps, offers) : walk(analysis, keeps, 0);
      missing.forEach((made, at) => found.set(made, kept[at] ?? []));
      return found.get(wanted) ?? [];
    },
  };
}

/** One walk of the stored entries from layer `fromLayer` up: what each of `keeps` takes. */
function walk(
  analysis: Analysis,
  keeps: readonly ((probe: EntryProbe) => boolean)[],
  fromLayer: number,
): TrackedEntry[][] {
  const stored = storedEntriesOf(analysis);
  const probe = new MovingProbe();
  const kept = keeps.map((): TrackedEntry[] => []);
  probe.layer = -1;
  for (let position = firstOfLayer(stored, fromLayer); position < stored.length; position++) {
    const layer = stored.layers[position] ?? 0;
    if (layer !== probe.layer) {
      probe.layer = layer;
      probe.table = analysis.contents[layer]?.entries;
    }
    probe.moveTo(stored.indexes[position] ?? 0, stored.visible[position] === 1);
    probe.offerTo(analysis, keeps, kept);
  }
  return kept;
}

/**
 * `walk` over the entries `offers` name (see Offer): per layer, one search of its joined paths
 * for all the offers' patterns, its hidden entries and its flagged ones, found in V8's own code
 * (a typed array's `indexOf`, a regular expression) instead of a call of every filter per entry,
 * which runs cold once per image: the Debian bench image's 18,000 stored entries took 19-20 ms
 * that way, 9-11 ms this way. Every filter sees every offered entry, in walk order.
 */
function walkOffered(
  analysis: Analysis,
  keeps: readonly ((probe: EntryProbe) => boolean)[],
  offers: readonly Offer[],
  fromLayer = 0,
): TrackedEntry[][] {
  const patterns = offers.flatMap((offer) =>
    offer.paths === undefined ? [] : [`(?:${offer.paths.source})`],
  );
  const search = patterns.length === 0 ? null : new PathSearch(patterns.join('|'));
  const hidden = offers.some((offer) => offer.hidden === true);
  const flagged = offers.some((offer) => offer.flagged === true);
  const probe = new MovingProbe();
  const kept = keeps.map((): TrackedEntry[] => []);
  analysis.contents.forEach(({ entries: table }, layer) => {
    if (layer < fromLayer) return;
    const offered = new Uint8Array(table.length);
    if (search !== null) search.mark(table.pathColumn(), offered);
    if (flagged) for (const index of table.secretKindIndexes()) offered[index] = 1;
    if (hidden) analysis.fates.markHidden(layer, offered);
    probe.layer = layer;
    probe.table = table;
    const types = table.typeCodes();
    for (let index = offered.indexOf(1); index >= 0; index = offered.indexOf(1, index + 1)) {
      // Stored entries only: a directory's path may match too.
      if (FILE_LIKE[types[index] ?? 0] !== 1) continue;
      probe.moveTo(index, analysis.fates.isVisible(layer, index));
      probe.offerTo(analysis, keeps, kept);
    }
  });
  return kept;
}

/**
 * Paths joined and searched at a time: each block's copy and text stay small enough for V8's
 * young generation, collected as it goes (a million paths joined at once held 42 MB more at the
 * million-file image's peak; blocks of 16,384, whose copies V8 puts among its large objects,
 * still 6-9 MB).
 */
const SEARCHED_PATHS = 2048;

/**
 * A layer of at most this many paths has each tested alone: the pattern without the multi-line
 * flag compiles in about half the time (the build tools' 500 characters: 0.6 ms against 1.2 ms
 * with its first run in V8's own code), which is most of such a search.
 */
const TESTED_ONE_BY_ONE = 1024;

/**
 * The offers' patterns as one, made for a layer's paths as the layer's size wants: tested path by
 * path, or searched in the paths joined (`markMatches`). Each form is compiled on its first use.
 */
class PathSearch {
  #alone: RegExp | undefined;
  #joined: RegExp | undefined;

  constructor(private readonly source: string) {}

  /** Marks in `offered` each path of `paths` the pattern matches. */
  mark(paths: readonly string[], offered: Uint8Array): void {
    if (paths.length > TESTED_ONE_BY_ONE) {
      markMatches(paths, (this.#joined ??= new RegExp(this.source, 'gm')), offered);
      return;
    }
    const alone = (this.#alone ??= new RegExp(this.source));
    for (let index = 0; index < paths.length; index++) if (alone.test(paths[index] ?? '')) offered[index] = 1;
  }
}

/**
 * Marks in `offered` each path of `paths` in which `search` (global, multi-line) matches in the
 * paths joined by "\n" (a match marks the path it starts in: perhaps one that the pattern does
 * not match alone, which the filter then refuses).
 */
function markMatches(paths: readonly string[], search: RegExp, offered: Uint8Array): void {
  const starts = new Float64Array(Math.min(paths.length, SEARCHED_PATHS) + 1);
  for (let from = 0; from < paths.length; from += SEARCHED_PATHS) {
    const block = paths.slice(from, from + SEARCHED_PATHS);
    const joined = block.join('\n');
    // Where each path of the block starts in `joined` (the one after the last: past its end).
    for (let index = 0, at = 0; index < block.length; index++) {
      starts[index] = at;
      at += (block[index]?.length ?? 0) + 1;
      starts[index + 1] = at;
    }
    search.lastIndex = 0;
    for (let match = search.exec(joined); match !== null; match = search.exec(joined)) {
      const index = pathAt(starts, block.length, match.index);
      offered[from + index] = 1;
      // On from the next path: a match that ran into it must not hide one of its own.
      search.lastIndex = starts[index + 1] ?? joined.length;
    }
  }
}

/** The index (below `count`) of the path whose span in the joined paths (its "\n" included) holds `offset`. */
function pathAt(starts: Float64Array, count: number, offset: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
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
    const types = entries.typeCodes();
    for (let index = 0; index < types.length; index++) {
      if (FILE_LIKE[types[index] ?? 0] !== 1) continue;
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
  // The final file at `path` names the layer that holds it, where it is the last entry at
  // `path`: found by the path column's own search, with no table of the stored entries.
  const layerIndex = analysis.finalFiles.get(path)?.layerIndex;
  if (layerIndex === undefined) return undefined;
  const table = analysis.contents[layerIndex]?.entries;
  const index = table?.pathColumn().lastIndexOf(path) ?? -1;
  if (table === undefined || index < 0) return undefined;
  const held = FILE_LIKE[table.typeCodes()[index] ?? 0] === 1 && analysis.fates.isVisible(layerIndex, index);
  return held ? new TrackedEntry(analysis, layerIndex, index, true) : undefined;
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
