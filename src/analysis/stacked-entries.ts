import { typeOfCode, type EntryTable, type EntryType } from '../model/index.js';
import { EntrySerials } from './entry-serials.js';

/**
 * The entries of a stack of layers, read by serial (see EntrySerials). Types, which the merge and
 * dive's walk read for nearly every entry, are copied into one column (a byte per entry, a copy
 * per layer): a read is then an array access, not a search for the serial's layer and a call
 * into its table.
 */
export class StackedEntries {
  readonly serials: EntrySerials;
  /** By serial: the entry's type as its code (`TYPE_CODE`). */
  readonly typeCodes: Uint8Array;

  constructor(readonly tables: readonly EntryTable[]) {
    this.serials = new EntrySerials(tables.map((table) => table.length));
    this.typeCodes = new Uint8Array(this.serials.total);
    tables.forEach((table, layer) => this.typeCodes.set(table.typeCodes(), this.serials.start(layer)));
  }

  path(serial: number): string {
    const layer = this.serials.layerOf(serial);
    return this.tables[layer]?.path(serial - this.serials.start(layer)) ?? '';
  }

  type(serial: number): EntryType {
    return typeOfCode(this.typeCodes[serial]);
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
