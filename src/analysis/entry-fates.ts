import type { EntryFate, EntryFates, EntryRef } from '../model/index.js';
import type { EntrySerials } from './entry-serials.js';

/** Kinds; 0, the default, is visible. */
const VISIBLE_KIND = 0;
const DELETED = 1;
const REPLACED = 2;
const REWRITTEN = 3;
const NO_REPLACEMENT = -1;
/** Shared: most entries stay visible, and the timeline asks each of them. */
const VISIBLE: EntryFate = Object.freeze({ kind: 'visible' });

/** Entry fates as three numbers per entry (9 bytes), filled in by the merge. */
export class FateTable implements EntryFates {
  readonly #kinds: Uint8Array;
  readonly #by: Int32Array;
  readonly #replacements: Int32Array;

  constructor(private readonly serials: EntrySerials) {
    this.#kinds = new Uint8Array(serials.total);
    this.#by = new Int32Array(serials.total);
    this.#replacements = new Int32Array(serials.total).fill(NO_REPLACEMENT);
  }

  /** A whiteout or opaque marker of layer `by` removed the entry. */
  deleted(serial: number, by: number): void {
    this.#set(serial, DELETED, by, NO_REPLACEMENT);
  }

  /** Layer `by` put another entry (`replacement`'s serial) or a directory (null) at its path. */
  replaced(serial: number, by: number, replacement: number | null): void {
    this.#set(serial, REPLACED, by, replacement ?? NO_REPLACEMENT);
  }

  /** Layer `by` wrote the same bytes to its path again (`replacement`'s serial). */
  rewritten(serial: number, by: number, replacement: number): void {
    this.#set(serial, REWRITTEN, by, replacement);
  }

  isVisible(layer: number, index: number): boolean {
    return this.#kinds[this.serials.start(layer) + index] === VISIBLE_KIND;
  }

  markHidden(layer: number, into: Uint8Array): void {
    // Each kind found by the typed array's own search: few entries are hidden, and a call per
    // entry would run cold (the findings' walk asks this of every layer).
    const kinds = this.#kinds.subarray(this.serials.start(layer), this.serials.end(layer));
    for (const kind of [DELETED, REPLACED, REWRITTEN]) {
      for (let index = kinds.indexOf(kind); index >= 0; index = kinds.indexOf(kind, index + 1))
        into[index] = 1;
    }
  }

  of(entry: EntryRef): EntryFate {
    const serial = this.serials.serial(entry);
    const by = this.#by[serial] ?? 0;
    const replacement = this.#replacements[serial] ?? NO_REPLACEMENT;
    switch (this.#kinds[serial]) {
      case DELETED:
        return { kind: 'deleted', by };
      case REPLACED:
        return {
          kind: 'replaced',
          by,
          replacement: replacement === NO_REPLACEMENT ? null : this.serials.ref(replacement),
        };
      case REWRITTEN:
        return { kind: 'rewritten', by, replacement: this.serials.ref(replacement) };
      default:
        return VISIBLE;
    }
  }

  #set(serial: number, kind: number, by: number, replacement: number): void {
    this.#kinds[serial] = kind;
    this.#by[serial] = by;
    this.#replacements[serial] = replacement;
  }
}
