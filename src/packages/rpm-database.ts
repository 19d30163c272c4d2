import type { SqlJsStatic } from 'sql.js';
import type { LayerContents } from '../model/index.js';

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

/**
 * Reads the `Packages` table (`hnum INTEGER PRIMARY KEY, blob BLOB`) of a database file held in
 * memory. Blob lengths are read first (SQLite answers length() from the record header, without
 * the blob), so a hostile file cannot make it copy out more than the file holds, a header larger
 * than rpm's, or more packages than any image has. Throws on a file SQLite cannot read.
 */
export function readRpmDatabase(sqlite: SqlJsStatic, body: Uint8Array): RpmDatabaseRows {
  const database = new sqlite.Database(body);
  try {
    const lengths: [number, number][] = [];
    const list = database.prepare(
      `SELECT hnum, length(blob) FROM Packages ORDER BY hnum LIMIT ${MAX_PACKAGES + 1}`,
    );
    try {
      while (list.step()) {
        const [number, length] = list.get();
        if (typeof number === 'number' && typeof length === 'number') lengths.push([number, length]);
      }
    } finally {
      list.free();
    }
    const skipped: string[] = [];
    if (lengths.length > MAX_PACKAGES) {
      lengths.length = MAX_PACKAGES;
      skipped.push(`packages after the first ${MAX_PACKAGES}`);
    }
    const headers: RpmDatabaseRows['headers'] = [];
    let budget = body.byteLength;
    // As hex: sql.js copies a blob out of WebAssembly memory byte by byte in JavaScript, a
    // string with TextDecoder; hex and Buffer.from(hex) read 17 MB of headers about 3x faster.
    const read = database.prepare('SELECT hex(blob) FROM Packages WHERE hnum = ?');
    try {
      for (const [number, length] of lengths) {
        if (length > MAX_HEADER_BYTES || length > budget) {
          skipped.push(`package ${number}: a header of ${length} bytes`);
          continue;
        }
        budget -= length;
        read.bind([number]);
        const hex = read.step() ? read.get()[0] : null;
        read.reset();
        if (typeof hex === 'string' && hex !== '') headers.push({ number, blob: Buffer.from(hex, 'hex') });
        else skipped.push(`package ${number}: no header blob`);
      }
    } finally {
      read.free();
    }
    return { headers, skipped };
  } finally {
    database.close();
  }
}
