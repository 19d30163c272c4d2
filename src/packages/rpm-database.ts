import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
import type { LayerContents } from '../model/index.js';
import { headerIndexBytes, spansHoldValues, valueSpans, type ValueSpan } from './rpm-header.js';

/** Where rpm keeps its SQLite database (rpm 4.16+): Fedora 33+, RHEL/UBI 9+, Amazon Linux 2023. */
export const RPM_DATABASES = ['/usr/lib/sysimage/rpm/rpmdb.sqlite', '/var/lib/rpm/rpmdb.sqlite'];

/** One header larger than this is skipped: rpm's own largest packages have headers of a few MiB. */
const MAX_HEADER_BYTES = 32 * 1024 * 1024;
/** Rows beyond this are not read: a distribution has tens of thousands of packages, an image far fewer. */
const MAX_PACKAGES = 100_000;

let loading: Promise<SqlJsStatic> | undefined;

/**
 * SQLite compiled to WebAssembly (sql.js), loaded on first use: the same bytes run on every
 * Node version, with no native addon to rebuild. About 20 ms and 10 MB the first time.
 */
export function loadSqlite(): Promise<SqlJsStatic> {
  loading ??= import('sql.js').then((module) => module.default());
  return loading;
}

/** SQLite when a layer kept an rpm database, else null: images without rpm never load it. */
export async function sqliteForRpm(contents: readonly LayerContents[]): Promise<SqlJsStatic | null> {
  for (const layer of contents) {
    const { entries } = layer;
    for (const [entry] of entries.packageMetadata()) {
      if (RPM_DATABASES.includes(entries.path(entry))) return loadSqlite();
    }
  }
  return null;
}

/** The header blobs of an rpm database's Packages table, by package number, and what was skipped. */
export interface RpmDatabaseRows {
  headers: { number: number; blob: Uint8Array }[];
  skipped: string[];
}

/** Bytes asked for first: the counts and index of rpm's headers (16 bytes an entry, 60-100 entries). */
const HEAD_BYTES = 4096;
/** Ranges read per header in one statement; closer ones are merged to fit. */
const RANGES = 4;

/**
 * Reads the `Packages` table (`hnum INTEGER PRIMARY KEY, blob BLOB`) of a database file held in
 * memory, for decoding `tags`. Blob lengths are read first (SQLite answers length() from the
 * record header, without the blob), so a hostile file cannot make it copy out more than the file
 * holds, a header larger than rpm's, or more packages than any image has. Of each header only its
 * index and the bytes of the values of `tags` are copied out, into a blob of the header's length
 * (zeros elsewhere): sql.js copies a blob out of WebAssembly memory byte by byte in JavaScript,
 * and a header's changelog and file digests are most of it. Throws on a file SQLite cannot read.
 */
export function readRpmDatabase(
  sqlite: SqlJsStatic,
  body: Uint8Array,
  tags: ReadonlySet<number>,
): RpmDatabaseRows {
  const database = new sqlite.Database(body);
  try {
    const rows: { number: number; length: number; head: Uint8Array | null }[] = [];
    const list = database.prepare(
      `SELECT hnum, length(blob), iif(typeof(blob) = 'blob', substr(blob, 1, ${HEAD_BYTES}))
       FROM Packages ORDER BY hnum LIMIT ${MAX_PACKAGES + 1}`,
    );
    try {
      while (list.step()) {
        const [number, length, head] = list.get();
        if (typeof number === 'number' && typeof length === 'number')
          rows.push({ number, length, head: head instanceof Uint8Array ? head : null });
      }
    } finally {
      list.free();
    }
    const skipped: string[] = [];
    if (rows.length > MAX_PACKAGES) {
      rows.length = MAX_PACKAGES;
      skipped.push(`packages after the first ${MAX_PACKAGES}`);
    }
    const headers: RpmDatabaseRows['headers'] = [];
    let budget = body.byteLength;
    const reader = new HeaderReader(database);
    try {
      for (const { number, length, head } of rows) {
        if (length > MAX_HEADER_BYTES || length > budget) {
          skipped.push(`package ${number}: a header of ${length} bytes`);
          continue;
        }
        budget -= length;
        const blob =
          (head === null ? null : reader.values(number, length, head, tags)) ?? reader.whole(number);
        if (blob !== null) headers.push({ number, blob });
        else skipped.push(`package ${number}: no header blob`);
      }
    } finally {
      reader.free();
    }
    return { headers, skipped };
  } finally {
    database.close();
  }
}

/** The statements that copy parts of one header blob out of the database. */
class HeaderReader {
  readonly #prefix: Statement;
  readonly #ranges: Statement;
  readonly #whole: Statement;

  constructor(database: Database) {
    this.#prefix = database.prepare('SELECT substr(blob, 1, ?) FROM Packages WHERE hnum = ?');
    const columns = Array.from({ length: RANGES }, () => 'substr(blob, ?, ?)').join(', ');
    this.#ranges = database.prepare(`SELECT ${columns} FROM Packages WHERE hnum = ?`);
    // As hex: sql.js's blob copy is byte by byte in JavaScript; hex and Buffer.from(hex) about 3x faster.
    this.#whole = database.prepare('SELECT hex(blob) FROM Packages WHERE hnum = ?');
  }

  /**
   * The header with its index and the values of `tags` in place, or null where its index is
   * malformed or a value runs past its span (the whole blob then decodes it, or names the fault).
   */
  values(number: number, length: number, head: Uint8Array, tags: ReadonlySet<number>): Uint8Array | null {
    const indexBytes = headerIndexBytes(head);
    if (indexBytes === null || indexBytes > length) return null;
    const index = indexBytes <= head.byteLength ? head : this.#one(this.#prefix, [indexBytes, number])[0];
    if (!(index instanceof Uint8Array) || index.byteLength < indexBytes) return null;
    const spans = valueSpans(index, length, tags);
    if (spans === null) return null;
    const blob = Buffer.alloc(length);
    blob.set(index.subarray(0, indexBytes));
    const ranges = mergedRanges(spans, RANGES);
    const parts = this.#one(this.#ranges, [
      ...ranges.flatMap(([start, end]) => [start + 1, end - start]),
      ...Array.from({ length: 2 * (RANGES - ranges.length) }, () => 0),
      number,
    ]);
    for (const [at, [start, end]] of ranges.entries()) {
      const part = parts[at];
      if (!(part instanceof Uint8Array) || part.byteLength !== end - start) return null;
      blob.set(part, start);
    }
    return spansHoldValues(blob, spans) ? blob : null;
  }

  /** The whole blob; null where the row has none. */
  whole(number: number): Uint8Array | null {
    const [hex] = this.#one(this.#whole, [number]);
    return typeof hex === 'string' && hex !== '' ? Buffer.from(hex, 'hex') : null;
  }

  free(): void {
    for (const statement of [this.#prefix, this.#ranges, this.#whole]) statement.free();
  }

  #one(statement: Statement, parameters: number[]): SqlValue[] {
    statement.bind(parameters);
    try {
      return statement.step() ? statement.get() : [];
    } finally {
      statement.reset();
    }
  }
}

/** The spans as at most `most` sorted [start, end) ranges, merging across the smallest gaps. */
function mergedRanges(spans: readonly ValueSpan[], most: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (const { start, end } of [...spans].sort((a, b) => a.start - b.start)) {
    const last = ranges.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  while (ranges.length > most) {
    let narrowest = 1;
    for (let at = 2; at < ranges.length; at++) if (gap(ranges, at) < gap(ranges, narrowest)) narrowest = at;
    const [, end] = ranges.splice(narrowest, 1)[0] ?? [0, 0];
    const before = ranges[narrowest - 1];
    if (before !== undefined) before[1] = Math.max(before[1], end);
  }
  return ranges;
}

function gap(ranges: readonly [number, number][], at: number): number {
  return (ranges[at]?.[0] ?? 0) - (ranges[at - 1]?.[1] ?? 0);
}
