// rpm's package database in its real on-disk format, for images built in tests: header blobs as
// rpm writes them into the database (lib/header.c: counts, index entries, data store; the
// immutable region tag first with its trailer, an entry rpm adds at install time after it) and
// the SQLite file of rpm's sqlite backend (lib/backend/sqlite.c: a Packages table of hnum, blob).
import initSqlJs from 'sql.js';
import type { EntrySpec } from './image-builder.js';

export interface RpmSpec {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  /** Omitted for gpg-pubkey pseudo-packages, as rpm stores them. */
  arch?: string;
  license?: string;
  requires?: string[];
  /** Files with their sizes, stored as DIRNAMES/BASENAMES/DIRINDEXES with FILESIZES. */
  files?: [string, number][];
  /** Bytes of changelog text, as real headers carry (for realistic database sizes in benchmarks). */
  changelogBytes?: number;
}

const INT16 = 3;
const INT32 = 4;
const STRING = 6;
const BIN = 7;
const STRING_ARRAY = 8;
const I18NSTRING = 9;
const HEADERIMMUTABLE = 63;

type Value =
  | { type: typeof STRING; value: string }
  | { type: typeof STRING_ARRAY | typeof I18NSTRING; value: string[] }
  | { type: typeof INT16 | typeof INT32; value: number[] }
  | { type: typeof BIN; value: Buffer };

const ALIGN: Record<number, number> = { [INT16]: 2, [INT32]: 4 };

function encode(entry: Value): { bytes: Buffer; count: number } {
  switch (entry.type) {
    case STRING:
      return { bytes: Buffer.from(`${entry.value}\0`), count: 1 };
    case STRING_ARRAY:
    case I18NSTRING:
      return {
        bytes: Buffer.from(entry.value.map((text) => `${text}\0`).join('')),
        count: entry.value.length,
      };
    case INT16:
    case INT32: {
      const width = entry.type === INT16 ? 2 : 4;
      const bytes = Buffer.alloc(entry.value.length * width);
      entry.value.forEach((value, index) =>
        width === 2 ? bytes.writeUInt16BE(value, index * 2) : bytes.writeUInt32BE(value, index * 4),
      );
      return { bytes, count: entry.value.length };
    }
    default:
      return { bytes: entry.value, count: entry.value.length };
  }
}

/**
 * A header blob: `tags` sorted into the immutable region (region tag first, trailer at the end of
 * its data), then `dribble` entries after the region, as rpm adds INSTALLTIME and the like.
 */
export function headerBlob(tags: Map<number, Value>, dribble: Map<number, Value> = new Map()): Buffer {
  const index: Buffer[] = [];
  const data: Buffer[] = [];
  let dataBytes = 0;
  const add = (tag: number, entry: Value): void => {
    const { bytes, count } = encode(entry);
    const align = ALIGN[entry.type] ?? 1;
    const pad = (align - (dataBytes % align)) % align;
    if (pad > 0) data.push(Buffer.alloc(pad));
    dataBytes += pad;
    const info = Buffer.alloc(16);
    info.writeInt32BE(tag, 0);
    info.writeUInt32BE(entry.type, 4);
    info.writeInt32BE(dataBytes, 8);
    info.writeUInt32BE(count, 12);
    index.push(info);
    data.push(bytes);
    dataBytes += bytes.length;
  };
  const regionEntries = tags.size + 1;
  const sorted = [...tags].sort((a, b) => a[0] - b[0]);
  // The region tag points at its trailer, a copy of the region tag whose offset counts back over
  // the region's index entries.
  const regionIndex = index.length;
  index.push(Buffer.alloc(16));
  for (const [tag, entry] of sorted) add(tag, entry);
  const trailer = Buffer.alloc(16);
  trailer.writeInt32BE(HEADERIMMUTABLE, 0);
  trailer.writeUInt32BE(BIN, 4);
  trailer.writeInt32BE(-regionEntries * 16, 8);
  trailer.writeUInt32BE(16, 12);
  const region = Buffer.alloc(16);
  region.writeInt32BE(HEADERIMMUTABLE, 0);
  region.writeUInt32BE(BIN, 4);
  region.writeInt32BE(dataBytes, 8);
  region.writeUInt32BE(16, 12);
  index[regionIndex] = region;
  data.push(trailer);
  dataBytes += 16;
  for (const [tag, entry] of [...dribble].sort((a, b) => a[0] - b[0])) add(tag, entry);
  const counts = Buffer.alloc(8);
  counts.writeInt32BE(index.length, 0);
  counts.writeInt32BE(dataBytes, 4);
  return Buffer.concat([counts, ...index, ...data]);
}

/** The header rpm would store for `spec` after installing it. */
export function rpmHeader(spec: RpmSpec): Buffer {
  const tags = new Map<number, Value>([
    [1000, { type: STRING, value: spec.name }],
    [1001, { type: STRING, value: spec.version }],
    [1002, { type: STRING, value: spec.release }],
    [1004, { type: I18NSTRING, value: [`${spec.name} for tests`] }],
    [1014, { type: STRING, value: spec.license ?? 'MIT' }],
  ]);
  if (spec.epoch !== undefined) tags.set(1003, { type: INT32, value: [spec.epoch] });
  if (spec.arch !== undefined) tags.set(1022, { type: STRING, value: spec.arch });
  const files = spec.files ?? [];
  tags.set(1009, { type: INT32, value: [files.reduce((sum, [, size]) => sum + size, 0)] });
  if (files.length > 0) {
    const dirs: string[] = [];
    const indexes: number[] = [];
    for (const [path] of files) {
      const dir = path.slice(0, path.lastIndexOf('/') + 1);
      if (!dirs.includes(dir)) dirs.push(dir);
      indexes.push(dirs.indexOf(dir));
    }
    tags.set(1028, { type: INT32, value: files.map(([, size]) => size) });
    tags.set(1030, { type: INT16, value: files.map(() => 0o100644) });
    tags.set(1116, { type: INT32, value: indexes });
    tags.set(1117, {
      type: STRING_ARRAY,
      value: files.map(([path]) => path.slice(path.lastIndexOf('/') + 1)),
    });
    tags.set(1118, { type: STRING_ARRAY, value: dirs });
  }
  if (spec.changelogBytes !== undefined)
    tags.set(1082, {
      type: STRING_ARRAY,
      value: ['- Rebuilt. '.repeat(Math.ceil(spec.changelogBytes / 11))],
    });
  const requires = spec.requires ?? [];
  if (requires.length > 0)
    tags.set(1049, { type: STRING_ARRAY, value: ['rpmlib(CompressedFileNames)', ...requires] });
  // INSTALLTIME, added by rpm when it installs the package: outside the immutable region.
  return headerBlob(tags, new Map([[1008, { type: INT32, value: [1_700_000_000] }]]));
}

/** rpmdb.sqlite holding `blobs` (already-made headers, malformed ones included) in the Packages table. */
export async function rpmDatabaseOf(blobs: readonly Uint8Array[]): Promise<Buffer> {
  const sqlite = await initSqlJs();
  const database = new sqlite.Database();
  try {
    database.run("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
    database.run("CREATE TABLE 'Name' (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL)");
    for (const blob of blobs) database.run("INSERT INTO 'Packages' (blob) VALUES (?)", [blob]);
    return Buffer.from(database.export());
  } finally {
    database.close();
  }
}

/** The database file listing `specs`, as a layer entry. */
export async function rpmDatabaseEntry(
  specs: readonly RpmSpec[],
  databasePath = 'usr/lib/sysimage/rpm/rpmdb.sqlite',
): Promise<EntrySpec> {
  return { type: 'file', path: databasePath, content: await rpmDatabaseOf(specs.map(rpmHeader)) };
}

/** The files of `specs`, as layer entries. */
export function rpmFileEntries(specs: readonly RpmSpec[]): EntrySpec[] {
  return specs.flatMap((spec) =>
    (spec.files ?? []).map(([path, size]): EntrySpec => ({ type: 'file', path: path.slice(1), size })),
  );
}

/** The database for `specs` and their files, as one layer's entries. */
export async function rpmEntries(specs: readonly RpmSpec[], databasePath?: string): Promise<EntrySpec[]> {
  return [await rpmDatabaseEntry(specs, databasePath), ...rpmFileEntries(specs)];
}
