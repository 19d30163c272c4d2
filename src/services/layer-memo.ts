import type { LayerContents } from '../model/index.js';
import type { LayerCache } from './analyze-image.js';

/**
 * Entry-table rows the audit keeps in memory across images (about 70 bytes each, so some 70 MB):
 * enough for the bases a fleet shares, bounded so memory does not grow with the images audited.
 */
export const DEFAULT_MEMO_ENTRIES = 1_000_000;

/**
 * Layers read by earlier images of an audit, by diff_id, least recently used evicted first once
 * their entries pass the bound. Reads in flight are shared and never evicted; a failed read is
 * forgotten so a later image reads the layer again.
 */
export class LayerMemo implements LayerCache {
  private readonly slots = new Map<string, { read: Promise<LayerContents>; entries: number }>();
  private entries = 0;

  constructor(private readonly maxEntries = DEFAULT_MEMO_ENTRIES) {}

  get(diffId: string): Promise<LayerContents> | undefined {
    const slot = this.slots.get(diffId);
    if (slot === undefined) return undefined;
    this.slots.delete(diffId);
    this.slots.set(diffId, slot);
    return slot.read;
  }

  set(diffId: string, read: Promise<LayerContents>): void {
    const slot = { read, entries: 0 };
    this.entries -= this.slots.get(diffId)?.entries ?? 0;
    this.slots.set(diffId, slot);
    read.then(
      (contents) => {
        if (this.slots.get(diffId) !== slot) return;
        slot.entries = Math.max(1, contents.entries.length);
        this.entries += slot.entries;
        this.evict();
      },
      () => {
        if (this.slots.get(diffId) === slot) this.slots.delete(diffId);
      },
    );
  }

  /** Layers held (read or being read). */
  get size(): number {
    return this.slots.size;
  }

  private evict(): void {
    for (const [diffId, slot] of this.slots) {
      if (this.entries <= this.maxEntries) return;
      if (slot.entries === 0) continue;
      this.slots.delete(diffId);
      this.entries -= slot.entries;
    }
  }
}
