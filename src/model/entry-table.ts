import type { EntryType, LayerEntry } from './layer-entry.js';

const TYPES: readonly EntryType[] = [
  'file',
  'directory',
  'symlink',
  'hardlink',
  'whiteout',
  'opaque',
  'other',
];
const TYPE_CODES = new Map(TYPES.map((type, code) => [type, code]));

/** The fields every entry has; the rest are set afterwards, where an entry has them. */
export type EntryFields = Pick<LayerEntry, 'path' | 'type' | 'size' | 'mode' | 'uid' | 'gid'>;

/**
 * A layer's entries column by column. A layer can hold a million entries: as objects they cost
 * about 160 bytes each, as columns about 70 (the path string and a few numbers), which is what
 * keeps a million-file image under issue 7's memory bound. Mode, uid and gid are stored as
 * unsigned 32-bit numbers (Linux's mode_t, uid_t and gid_t). `get` builds a `LayerEntry` on
 * demand; hot loops read single columns instead.
 */
export class EntryTable implements Iterable<LayerEntry> {
  #length = 0;
  readonly #paths: string[] = [];
  readonly #hashes: (string | undefined)[] = [];
  #types = new Uint8Array(16);
  #sizes = new Float64Array(16);
  #modes = new Uint32Array(16);
  #uids = new Uint32Array(16);
  #gids = new Uint32Array(16);
  // Few entries have these: links, likely secret files, /etc/passwd and /etc/group.
  readonly #linkTargets = new Map<number, string>();
  readonly #secretKinds = new Map<number, string[]>();
  readonly #accountIds = new Map<number, [string, number][]>();

  static from(entries: Iterable<LayerEntry>): EntryTable {
    const table = new EntryTable();
    for (const entry of entries) {
      const index = table.add(entry);
      if (entry.linkTarget !== undefined) table.setLinkTarget(index, entry.linkTarget);
      if (entry.contentHash !== undefined) table.setContentHash(index, entry.contentHash);
      if (entry.secretKinds !== undefined) table.setSecretKinds(index, entry.secretKinds);
      if (entry.accountIds !== undefined) table.setAccountIds(index, entry.accountIds);
    }
    return table;
  }

  get length(): number {
    return this.#length;
  }

  /** Appends an entry; returns its index. */
  add(entry: EntryFields): number {
    const index = this.#length;
    if (index === this.#types.length) this.#grow();
    this.#paths.push(entry.path);
    this.#hashes.push(undefined);
    this.#types[index] = TYPE_CODES.get(entry.type) ?? TYPES.indexOf('other');
    this.#sizes[index] = entry.size;
    this.#modes[index] = entry.mode;
    this.#uids[index] = entry.uid;
    this.#gids[index] = entry.gid;
    this.#length = index + 1;
    return index;
  }

  setLinkTarget(index: number, target: string): void {
    this.#linkTargets.set(index, target);
  }

  setContentHash(index: number, hash: string): void {
    this.#hashes[index] = hash;
  }

  setSecretKinds(index: number, kinds: string[]): void {
    this.#secretKinds.set(index, kinds);
  }

  setAccountIds(index: number, ids: [string, number][]): void {
    this.#accountIds.set(index, ids);
  }

  path(index: number): string {
    return this.#paths[index] ?? '';
  }

  type(index: number): EntryType {
    return TYPES[this.#types[index] ?? TYPES.length] ?? 'other';
  }

  size(index: number): number {
    return this.#sizes[index] ?? 0;
  }

  mode(index: number): number {
    return this.#modes[index] ?? 0;
  }

  uid(index: number): number {
    return this.#uids[index] ?? 0;
  }

  gid(index: number): number {
    return this.#gids[index] ?? 0;
  }

  linkTarget(index: number): string | undefined {
    return this.#linkTargets.get(index);
  }

  contentHash(index: number): string | undefined {
    return this.#hashes[index];
  }

  get(index: number): LayerEntry {
    const entry: LayerEntry = {
      path: this.path(index),
      type: this.type(index),
      size: this.size(index),
      mode: this.mode(index),
      uid: this.uid(index),
      gid: this.gid(index),
    };
    const linkTarget = this.#linkTargets.get(index);
    if (linkTarget !== undefined) entry.linkTarget = linkTarget;
    const hash = this.#hashes[index];
    if (hash !== undefined) entry.contentHash = hash;
    const secretKinds = this.#secretKinds.get(index);
    if (secretKinds !== undefined) entry.secretKinds = secretKinds;
    const accountIds = this.#accountIds.get(index);
    if (accountIds !== undefined) entry.accountIds = accountIds;
    return entry;
  }

  *[Symbol.iterator](): Iterator<LayerEntry> {
    for (let index = 0; index < this.#length; index++) yield this.get(index);
  }

  /** Whether any entry matches; stops at the first. */
  some(predicate: (entry: LayerEntry) => boolean): boolean {
    for (const entry of this) if (predicate(entry)) return true;
    return false;
  }

  #grow(): void {
    const capacity = this.#types.length * 2;
    this.#types = grown(this.#types, new Uint8Array(capacity));
    this.#sizes = grown(this.#sizes, new Float64Array(capacity));
    this.#modes = grown(this.#modes, new Uint32Array(capacity));
    this.#uids = grown(this.#uids, new Uint32Array(capacity));
    this.#gids = grown(this.#gids, new Uint32Array(capacity));
  }
}

function grown<T extends Uint8Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
