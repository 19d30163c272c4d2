import type { EntryTable, EntryType } from '../model/index.js';
import { EntrySerials } from './entry-serials.js';

/** The entries of a stack of layers, read by serial (see EntrySerials). */
export class StackedEntries {
  readonly serials: EntrySerials;

  constructor(readonly tables: readonly EntryTable[]) {
    this.serials = new EntrySerials(tables.map((table) => table.length));
  }

  path(serial: number): string {
    const layer = this.serials.layerOf(serial);
    return this.tables[layer]?.path(serial - this.serials.start(layer)) ?? '';
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
