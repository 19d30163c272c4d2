import type { EntryType, LayerEntry } from './layer-entry.js';
import { grown } from './grown.js';

/** Entry types by their code in a table's type column (`EntryTable.typeCodes`). */
export const ENTRY_TYPES: readonly EntryType[] = [
  'file',
  'directory',
  'symlink',
  'hardlink',
  'whiteout',
  'opaque',
  'other',
];
/**
 * By type code: 1 for the entries that are files, links or special files, 0 for directories,
 * whiteouts and opaque markers (a pass over a type column counts or skips them without names).
 */
export const FILE_LIKE: Uint8Array = Uint8Array.from(ENTRY_TYPES, (type) =>
  type === 'directory' || type === 'whiteout' || type === 'opaque' ? 0 : 1,
);
/** Each type's code in a type column (its index in ENTRY_TYPES): what passes over columns compare. */
export const TYPE_CODE: Readonly<Record<EntryType, number>> = Object.freeze(
  Object.fromEntries(ENTRY_TYPES.map((type, code) => [type, code])) as Record<EntryType, number>,
);
const OTHER_CODE = TYPE_CODE.other;

/** The type a code of a type column stands for (`TYPE_CODE`'s inverse; 'other' for none). */
export function typeOfCode(code: number | undefined): EntryType {
  return ENTRY_TYPES[code ?? OTHER_CODE] ?? 'other';
}

/**
 * The content hash of every empty file: a fixed marker, not a hash (an empty body needs none),
 * which no real hash (hex) can equal.
 */
export const EMPTY_CONTENT_HASH = 'empty';
/** The bytes of a content hash (a Poly1305 tag, see src/layers/content-hash.ts). */
export const CONTENT_HASH_BYTES = 16;
const HASH_HEX = new RegExp(`^[0-9a-f]{${CONTENT_HASH_BYTES * 2}}$`);
/** Hash slots besides an index into the binary hash store. */
const NO_HASH = -1;
const EMPTY_HASH = -2;
const OTHER_HASH = -3;
/** A body left unhashed by the reader (`setDeferredContent`): hashed when first asked for. */
const DEFERRED_HASH = -4;
/** The lowest hash slot a table holds (a kind); the codec checks slots against it. */
export const LOWEST_HASH_SLOT = DEFERRED_HASH;

/**
 * Hashes a deferred body: the `length` bytes at `offset` in the layer's tar stream, under the
 * key of the table's other hashes (src/layers/deferred-bodies.ts).
 */
export type BodyHasher = (offset: number, length: number) => Uint8Array;

/**
 * The columns few entries have, by entry index: plain data, so that they pass through the
 * layer-contents codec as they are. A new kind of kept detail (a file body a rule reads, say)
 * is one more key here and crosses from a worker thread without changes to the codec.
 */
export interface SparseColumns {
  /** Hashes that are not content-hash hex (tests write made-up ones). */
  otherHashes: [number, string][];
  secretKinds: [number, string[]][];
  accountIds: [number, [string, number][]][];
}

/** A table as plain columns (each typed array exactly `length` long): what the codec writes. */
export interface EntryColumns {
  length: number;
  paths: string[];
  types: Uint8Array;
  sizes: Float64Array;
  modes: Uint32Array;
  uids: Uint32Array;
  gids: Uint32Array;
  /** Per entry: an index into `hashBytes` (16 bytes each) or a negative kind (none, empty, other, deferred). */
  hashSlots: Int32Array;
  hashBytes: Uint8Array;
  /**
   * Per entry whose hash is deferred: its body's offset in the tar stream, or -(i + 1) for a hard
   * link that shares entry i's (not yet computed) hash. Null when no hash is deferred.
   */
  bodyOffsets: Float64Array | null;
  /** Null when no entry has a link target. */
  linkTargets: (string | undefined)[] | null;
  sparse: SparseColumns;
  /** Kept package metadata bodies by entry index, in index order (bytes: not plain data). */
  packageMetadata: [number, Buffer][];
}

/** The fields every entry has; the rest are set afterwards, where an entry has them. */
export type EntryFields = Pick<LayerEntry, 'path' | 'type' | 'size' | 'mode' | 'uid' | 'gid'>;

/**
 * A layer's entries column by column. A layer can hold a million entries: as objects they cost
 * about 160 bytes each, as columns about 70 (the path string and a few numbers), which is what
 * keeps a million-file image under issue 7's memory bound. A content hash is kept as its 16
 * bytes (as a hex string it would take 48 more); an empty file has a marker instead. Mode, uid and
 * gid are stored as unsigned 32-bit numbers (Linux's mode_t, uid_t and gid_t). `get` builds a
 * `LayerEntry` on demand; hot loops read single columns instead.
 */
export class EntryTable implements Iterable<LayerEntry> {
  #length = 0;
  #paths: string[] = [];
  #types = new Uint8Array(16);
  #sizes = new Float64Array(16);
  #modes = new Uint32Array(16);
  #uids = new Uint32Array(16);
  #gids = new Uint32Array(16);
  /** Per entry: where its content hash is (an index into #hashBytes, or one of the *_HASH kinds). */
  #hashSlots = new Int32Array(16).fill(NO_HASH);
  #hashBytes = Buffer.alloc(16 * CONTENT_HASH_BYTES);
  #hashCount = 0;
  /** Hashes that are not content-hash hex (tests write made-up ones). */
  readonly #otherHashes = new Map<number, string>();
  /** EntryColumns' `bodyOffsets`, as a column from the first deferred hash on. */
  #bodyOffsets: Float64Array | null = null;
  /** Hashes the deferred bodies when they are asked for; null: none is hashed here. */
  #bodyHasher: BodyHasher | null = null;
  /**
   * Link targets as a column from the first link on (a layer can be a million hard links; a map
   * would cost five times the column). A target equal to the previous one shares its string.
   */
  #linkTargets: (string | undefined)[] | null = null;
  // Few entries have these: likely secret files, /etc/passwd and /etc/group, package metadata.
  readonly #secretKinds = new Map<number, string[]>();
  readonly #accountIds = new Map<number, [string, number][]>();
  /** Package metadata files (dpkg status, package.json...), kept whole for the inventory. */
  readonly #packageMetadata = new Map<number, Buffer>();

  static from(entries: Iterable<LayerEntry>): EntryTable {
    const table = new EntryTable();
    for (const entry of entries) {
      const index = table.add(entry);
      if (entry.linkTarget !== undefined) table.setLinkTarget(index, entry.linkTarget);
      if (entry.contentHash !== undefined) table.setContentHash(index, entry.contentHash);
      if (entry.secretKinds !== undefined) table.setSecretKinds(index, entry.secretKinds);
      if (entry.accountIds !== undefined) table.setAccountIds(index, entry.accountIds);
      if (entry.packageMetadata !== undefined) table.setPackageMetadata(index, entry.packageMetadata);
    }
    return table;
  }

  /** A table from columns as `columns()` gives them; it takes the arrays of strings, copies the typed ones. */
  static fromColumns(columns: EntryColumns): EntryTable {
    const table = new EntryTable();
    const capacity = Math.max(16, columns.length);
    table.#length = columns.length;
    table.#paths = columns.paths;
    table.#types = grown(columns.types, new Uint8Array(capacity));
    table.#sizes = grown(columns.sizes, new Float64Array(capacity));
    table.#modes = grown(columns.modes, new Uint32Array(capacity));
    table.#uids = grown(columns.uids, new Uint32Array(capacity));
    table.#gids = grown(columns.gids, new Uint32Array(capacity));
    table.#hashSlots = grown(columns.hashSlots, new Int32Array(capacity).fill(NO_HASH));
    table.#hashCount = columns.hashBytes.length / CONTENT_HASH_BYTES;
    table.#hashBytes = Buffer.alloc(Math.max(16, table.#hashCount) * CONTENT_HASH_BYTES);
    table.#hashBytes.set(columns.hashBytes);
    table.#linkTargets = columns.linkTargets;
    if (columns.bodyOffsets !== null)
      table.#bodyOffsets = grown(columns.bodyOffsets, new Float64Array(capacity));
    for (const [index, hash] of columns.sparse.otherHashes) table.#otherHashes.set(index, hash);
    for (const [index, kinds] of columns.sparse.secretKinds) table.#secretKinds.set(index, kinds);
    for (const [index, ids] of columns.sparse.accountIds) table.#accountIds.set(index, ids);
    for (const [index, body] of columns.packageMetadata) table.#packageMetadata.set(index, body);
    return table;
  }

  /** The table's columns, trimmed to its length (views, not copies). */
  columns(): EntryColumns {
    const length = this.#length;
    return {
      length,
      paths: this.#paths,
      types: this.#types.subarray(0, length),
      sizes: this.#sizes.subarray(0, length),
      modes: this.#modes.subarray(0, length),
      uids: this.#uids.subarray(0, length),
      gids: this.#gids.subarray(0, length),
      hashSlots: this.#hashSlots.subarray(0, length),
      hashBytes: this.#hashBytes.subarray(0, this.#hashCount * CONTENT_HASH_BYTES),
      bodyOffsets: this.#bodyOffsets?.subarray(0, length) ?? null,
      linkTargets: this.#linkTargets,
      sparse: {
        otherHashes: [...this.#otherHashes],
        secretKinds: [...this.#secretKinds],
        accountIds: [...this.#accountIds],
      },
      packageMetadata: [...this.#packageMetadata].sort(([a], [b]) => a - b),
    };
  }

  get length(): number {
    return this.#length;
  }

  /** Appends an entry; returns its index. */
  add(entry: EntryFields): number {
    const index = this.#length;
    if (index === this.#types.length) this.#grow();
    this.#paths.push(entry.path);
    this.#linkTargets?.push(undefined);
    // A type the table does not know is stored as 'other'.
    this.#types[index] = TYPE_CODE[entry.type] ?? OTHER_CODE;
    this.#sizes[index] = entry.size;
    this.#modes[index] = entry.mode;
    this.#uids[index] = entry.uid;
    this.#gids[index] = entry.gid;
    this.#length = index + 1;
    return index;
  }

  setLinkTarget(index: number, target: string): void {
    const targets = (this.#linkTargets ??= new Array<string | undefined>(this.#length).fill(undefined));
    const previous = targets[index - 1];
    targets[index] = target === previous ? previous : target;
  }

  setContentHash(index: number, hash: string): void {
    if (hash === EMPTY_CONTENT_HASH) {
      this.#hashSlots[index] = EMPTY_HASH;
    } else if (HASH_HEX.test(hash)) {
      const slot = this.#hashSlot(index); // first: taking a slot can replace the store
      this.#hashBytes.write(hash, slot * CONTENT_HASH_BYTES, CONTENT_HASH_BYTES, 'hex');
    } else {
      this.#hashSlots[index] = OTHER_HASH;
      this.#otherHashes.set(index, hash);
    }
  }

  /** Sets a content hash from its bytes (the reader's: no hex on the way). */
  setContentDigest(index: number, digest: Uint8Array): void {
    const slot = this.#hashSlot(index); // first: taking a slot can replace the store
    this.#hashBytes.set(digest.subarray(0, CONTENT_HASH_BYTES), slot * CONTENT_HASH_BYTES);
  }

  /** Marks entry `index` an empty file (its content hash is EMPTY_CONTENT_HASH). */
  setEmptyContent(index: number): void {
    this.#hashSlots[index] = EMPTY_HASH;
  }

  /**
   * Leaves entry `index`'s hash to be computed when it is first asked for: its body is the
   * entry's `size` bytes at `bodyOffset` in the layer's tar stream, which `hashDeferredBodiesWith`
   * says how to read again. Most of a layer's large bodies are never compared with anything.
   */
  setDeferredContent(index: number, bodyOffset: number): void {
    this.#bodyOffsets ??= new Float64Array(this.#types.length);
    this.#bodyOffsets[index] = bodyOffset;
    this.#hashSlots[index] = DEFERRED_HASH;
  }

  /** Whether any entry's hash is deferred (and not computed since). */
  hasDeferredContent(): boolean {
    return this.#bodyOffsets !== null && this.#hashSlots.subarray(0, this.#length).includes(DEFERRED_HASH);
  }

  /**
   * The entries whose hash is deferred with a body of their own (not a hard link sharing another
   * entry's), each with that body's offset in the tar stream: `[index, offset]`.
   */
  deferredBodies(): [number, number][] {
    const found: [number, number][] = [];
    const offsets = this.#bodyOffsets;
    if (offsets === null) return found;
    for (let index = this.#hashSlots.indexOf(DEFERRED_HASH); index >= 0 && index < this.#length;) {
      const offset = offsets[index] ?? -1;
      if (offset >= 0) found.push([index, offset]);
      index = this.#hashSlots.indexOf(DEFERRED_HASH, index + 1);
    }
    return found;
  }

  /** How the deferred bodies are hashed when asked for (the reader of the layer's bytes sets it). */
  hashDeferredBodiesWith(hasher: BodyHasher): void {
    this.#bodyHasher = hasher;
  }

  setSecretKinds(index: number, kinds: string[]): void {
    this.#secretKinds.set(index, kinds);
  }

  setAccountIds(index: number, ids: [string, number][]): void {
    this.#accountIds.set(index, ids);
  }

  setPackageMetadata(index: number, body: Buffer): void {
    this.#packageMetadata.set(index, body);
  }

  /** The entries whose bodies were kept as package metadata, by index. */
  packageMetadata(): ReadonlyMap<number, Buffer> {
    return this.#packageMetadata;
  }

  /** The type column as codes into ENTRY_TYPES (a view, not a copy): for passes over many entries. */
  typeCodes(): Uint8Array {
    return this.#types.subarray(0, this.#length);
  }

  /** The size column (a view, not a copy): for passes over many entries. */
  sizes(): Float64Array {
    return this.#sizes.subarray(0, this.#length);
  }

  path(index: number): string {
    return this.#paths[index] ?? '';
  }

  type(index: number): EntryType {
    return typeOfCode(this.#types[index]);
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
    return this.#linkTargets?.[index];
  }

  secretKinds(index: number): string[] | undefined {
    return this.#secretKinds.get(index);
  }

  /** The entries the reader found secrets in (those with `secretKinds`), in no order. */
  secretKindIndexes(): Iterable<number> {
    return this.#secretKinds.keys();
  }

  /** The path column (not a copy): for searches over every path of the layer at once. */
  pathColumn(): readonly string[] {
    return this.#paths;
  }

  /** Gives entry `index` the content hash of entry `from` (a hard link its target's), sharing its bytes. */
  shareContentHash(index: number, from: number): void {
    const slot = this.#hashSlots[from] ?? NO_HASH;
    if (slot === OTHER_HASH) this.#otherHashes.set(index, this.#otherHashes.get(from) ?? '');
    // Not computed yet: the link refers to `from`, whose hash it takes when either is asked for.
    if (slot === DEFERRED_HASH && this.#bodyOffsets !== null) {
      const shared = this.#bodyOffsets[from] ?? 0;
      this.#bodyOffsets[index] = shared < 0 ? shared : -(from + 1);
    }
    this.#hashSlots[index] = slot;
  }

  contentHash(index: number): string | undefined {
    let slot = this.#hashSlots[index] ?? NO_HASH;
    if (slot === DEFERRED_HASH) slot = this.#hashDeferred(index);
    if (slot >= 0) {
      return this.#hashBytes.toString('hex', slot * CONTENT_HASH_BYTES, (slot + 1) * CONTENT_HASH_BYTES);
    }
    if (slot === EMPTY_HASH) return EMPTY_CONTENT_HASH;
    return slot === OTHER_HASH ? this.#otherHashes.get(index) : undefined;
  }

  /** Computes a deferred hash (a shared one through the entry it shares); returns its slot. */
  #hashDeferred(index: number): number {
    const offset = this.#bodyOffsets?.[index] ?? 0;
    if (offset < 0) {
      const from = -offset - 1;
      this.contentHash(from);
      this.#hashSlots[index] = this.#hashSlots[from] ?? NO_HASH;
      return this.#hashSlots[index] ?? NO_HASH;
    }
    if (this.#bodyHasher === null)
      throw new Error(`the content hash of "${this.path(index)}" was deferred and cannot be computed here`);
    const digest = this.#bodyHasher(offset, this.size(index));
    this.setContentDigest(index, digest);
    return this.#hashSlots[index] ?? NO_HASH;
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
    const linkTarget = this.linkTarget(index);
    if (linkTarget !== undefined) entry.linkTarget = linkTarget;
    const hash = this.contentHash(index);
    if (hash !== undefined) entry.contentHash = hash;
    const secretKinds = this.secretKinds(index);
    if (secretKinds !== undefined) entry.secretKinds = secretKinds;
    const accountIds = this.#accountIds.get(index);
    if (accountIds !== undefined) entry.accountIds = accountIds;
    const packageMetadata = this.#packageMetadata.get(index);
    if (packageMetadata !== undefined) entry.packageMetadata = packageMetadata;
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

  /** The entry's slot in the hash store, taken on first use. */
  #hashSlot(index: number): number {
    const slot = this.#hashSlots[index] ?? NO_HASH;
    if (slot >= 0) return slot;
    const taken = this.#hashCount++;
    if (taken * CONTENT_HASH_BYTES === this.#hashBytes.length) {
      const grown = Buffer.alloc(this.#hashBytes.length * 2);
      this.#hashBytes.copy(grown);
      this.#hashBytes = grown;
    }
    this.#hashSlots[index] = taken;
    return taken;
  }

  #grow(): void {
    const capacity = this.#types.length * 2;
    this.#types = grown(this.#types, new Uint8Array(capacity));
    this.#sizes = grown(this.#sizes, new Float64Array(capacity));
    this.#modes = grown(this.#modes, new Uint32Array(capacity));
    this.#uids = grown(this.#uids, new Uint32Array(capacity));
    this.#gids = grown(this.#gids, new Uint32Array(capacity));
    this.#hashSlots = grown(this.#hashSlots, new Int32Array(capacity).fill(NO_HASH));
    if (this.#bodyOffsets !== null) this.#bodyOffsets = grown(this.#bodyOffsets, new Float64Array(capacity));
  }
}
