import type { EntryRef } from '../model/index.js';

/**
 * Numbers the entries of a stack of layers as one sequence, layer by layer in tar order: an
 * entry's serial indexes the typed arrays the analysis keeps per entry.
 */
export class EntrySerials {
  /** Serial of each layer's first entry, then the total. */
  readonly #starts: number[];
  /** The layer `layerOf` found last. */
  #recent = 0;

  constructor(layerLengths: readonly number[]) {
    this.#starts = [0];
    for (const length of layerLengths) this.#starts.push((this.#starts.at(-1) ?? 0) + length);
  }

  get total(): number {
    return this.#starts.at(-1) ?? 0;
  }

  get layerCount(): number {
    return this.#starts.length - 1;
  }

  /** Serial of the layer's first entry. */
  start(layer: number): number {
    return this.#starts[layer] ?? this.total;
  }

  /** One past the serial of the layer's last entry. */
  end(layer: number): number {
    return this.#starts[layer + 1] ?? this.total;
  }

  serial(ref: EntryRef): number {
    return this.start(ref.layer) + ref.index;
  }

  /**
   * The layer holding a serial: the one asked last when it holds it (serials are mostly read in
   * order), else a binary search (images have tens of layers, not millions).
   */
  layerOf(serial: number): number {
    const recent = this.#recent;
    if (serial >= (this.#starts[recent] ?? 0) && serial < (this.#starts[recent + 1] ?? 0)) return recent;
    this.#recent = this.#search(serial);
    return this.#recent;
  }

  #search(serial: number): number {
    let low = 0;
    let high = this.layerCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.start(middle) <= serial) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  ref(serial: number): EntryRef {
    const layer = this.layerOf(serial);
    return { layer, index: serial - this.start(layer) };
  }
}
