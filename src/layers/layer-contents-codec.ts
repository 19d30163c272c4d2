import { InputFormatError } from '../errors.js';
import {
  CONTENT_HASH_BYTES,
  EntryTable,
  LOWEST_HASH_SLOT,
  type Compression,
  type EntryColumns,
  type LayerContents,
  type SparseColumns,
} from '../model/index.js';
import { crc32 } from './crc32.js';

/**
 * The one encoding of a layer's result (`LayerContents`, every field of it): one self-contained
 * ArrayBuffer, which a worker thread hands back as a transferable (nothing copied) and which a
 * layer-result cache can store. Bump `LAYER_CONTENTS_VERSION` whenever the layout or the meaning
 * of a field changes; a reader refuses any other version instead of misreading it.
 *
 * Layout: "ISLC", version (u32), header length (u32), the CRC-32 of all the rest (u32), the
 * header as JSON (counts, scalars, warnings, the sparse columns), padding to
 * 8 bytes, then the columns back to back: sizes (f64), the deferred bodies' offsets (f64, only
 * where `deferredBodies`: a worker's read of a plain layer), modes, uids, gids (u32), hash slots
 * (i32), path lengths (u32), link-target indices (i32) and lengths (u32), package-metadata
 * indices (i32) and byte lengths (u32), types (u8), the content-hash store (16 bytes each), all paths
 * as one run, all link targets as one run, all package-metadata bodies. A run is Latin-1, or
 * UTF-16 where a name needs it, cut by the lengths in code units: names are kept code unit for
 * code unit (a non-UTF-8 name holds lone surrogates, see tar-text.ts; a name may hold NUL, so
 * no separator would do).
 *
 * Decoding checks the CRC-32, the header's shape and every column's range, so a cut or
 * corrupted buffer throws `CorruptLayerResultError` instead of crashing or misreading.
 */
export const LAYER_CONTENTS_VERSION = 4;

const MAGIC = 0x434c5349; // "ISLC" read as a little-endian u32
const CHECK_OFFSET = 12;
const HEADER_OFFSET = 16;
/** Entry type codes are EntryTable's (0..6); hash slots below 0 are its kinds (none, empty, other, deferred). */
const TYPE_CODES = 7;
const OTHER_HASH_SLOT = -3;
const DEFERRED_HASH_SLOT = -4;
const COMPRESSIONS: readonly Compression[] = ['gzip', 'zstd', 'none'];

/** A buffer that is not a whole, intact layer result of this version. */
export class CorruptLayerResultError extends InputFormatError {
  constructor(problem: string) {
    super(`an encoded layer result ${problem}`);
  }
}

type RunEncoding = 'latin1' | 'utf16le';

interface Header {
  length: number;
  hashCount: number;
  linkCount: number;
  metadataCount: number;
  pathBytes: number;
  linkBytes: number;
  metadataBytes: number;
  pathEncoding: RunEncoding;
  linkEncoding: RunEncoding;
  tarSizeBytes: number;
  uncompressedBytes: number;
  storedBytes: number;
  compression: Compression;
  warnings: string[];
  contentKeyId: string;
  /** Whether the body-offsets column is there (some hash was deferred: EntryTable.setDeferredContent). */
  deferredBodies: boolean;
  sparse: SparseColumns;
}

/** The byte length of each section after the header, in their order. */
function sectionLengths(header: Header): number[] {
  const n = header.length;
  return [
    n * 8,
    header.deferredBodies ? n * 8 : 0,
    n * 4,
    n * 4,
    n * 4,
    n * 4,
    n * 4,
    header.linkCount * 4,
    header.linkCount * 4,
    header.metadataCount * 4,
    header.metadataCount * 4,
    n,
    header.hashCount * CONTENT_HASH_BYTES,
    header.pathBytes,
    header.linkBytes,
    header.metadataBytes,
  ];
}

/** The encoded layer result as one buffer (a worker transfers it whole). */
export function encodeLayerContents(contents: LayerContents): ArrayBuffer {
  const parts = encodeLayerContentsParts(contents);
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes.buffer;
}

/**
 * The encoded layer result as the pieces that, put end to end, are `encodeLayerContents`'s
 * buffer: the header (CRC-32 included) and then views of the entry table's own columns, so a
 * cache write of a million-entry layer needs no second copy of the table.
 */
export function encodeLayerContentsParts(contents: LayerContents): Uint8Array[] {
  // Every field by name: a field added to LayerContents fails to compile here until encoded.
  const {
    entries,
    tarSizeBytes,
    uncompressedBytes,
    storedBytes,
    compression,
    warnings,
    contentKeyId,
    ...rest
  } = contents;
  const unencoded: Record<string, never> = rest;
  void unencoded;
  const columns = entries.columns();
  const paths = encodeRun(columns.paths.join(''));
  // Counted first: a layer of a million links fills lists of their size instead of growing them
  // (copies that stay until the next full collection, at the layer's peak memory).
  const targetColumn = columns.linkTargets ?? [];
  let linkCount = 0;
  for (const target of targetColumn) if (target !== undefined) linkCount++;
  const linkIndices = new Int32Array(linkCount);
  const linkLengths = new Uint32Array(linkCount);
  const linkTargets = new Array<string>(linkCount);
  for (let index = 0, link = 0; index < targetColumn.length; index++) {
    const target = targetColumn[index];
    if (target === undefined) continue;
    linkIndices[link] = index;
    linkLengths[link] = target.length;
    linkTargets[link++] = target;
  }
  const links = encodeRun(linkTargets.join(''));
  const metadataBytes = columns.packageMetadata.reduce((sum, [, body]) => sum + body.length, 0);
  const header: Header = {
    length: columns.length,
    hashCount: columns.hashBytes.length / CONTENT_HASH_BYTES,
    linkCount: linkIndices.length,
    metadataCount: columns.packageMetadata.length,
    pathBytes: paths.bytes.length,
    linkBytes: links.bytes.length,
    metadataBytes,
    pathEncoding: paths.encoding,
    linkEncoding: links.encoding,
    tarSizeBytes,
    uncompressedBytes,
    storedBytes,
    compression,
    warnings,
    contentKeyId,
    deferredBodies: columns.bodyOffsets !== null,
    sparse: columns.sparse,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = new Uint8Array(align8(HEADER_OFFSET + json.length));
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, LAYER_CONTENTS_VERSION, true);
  view.setUint32(8, json.length, true);
  head.set(json, HEADER_OFFSET);
  const bytesOf = (section: ArrayBufferView): Uint8Array =>
    new Uint8Array(section.buffer, section.byteOffset, section.byteLength);
  const sections = [
    columns.sizes,
    columns.bodyOffsets ?? new Float64Array(0),
    columns.modes,
    columns.uids,
    columns.gids,
    columns.hashSlots,
    Uint32Array.from(columns.paths, (path) => path.length),
    linkIndices,
    linkLengths,
    Int32Array.from(columns.packageMetadata, ([index]) => index),
    Uint32Array.from(columns.packageMetadata, ([, body]) => body.length),
    columns.types,
    columns.hashBytes,
    paths.bytes,
    links.bytes,
    ...columns.packageMetadata.map(([, body]) => body),
  ].map(bytesOf);
  // The check covers everything but itself (checkOf), here piece by piece.
  let check = crc32(head.subarray(HEADER_OFFSET), crc32(head.subarray(0, CHECK_OFFSET)));
  for (const section of sections) check = crc32(section, check);
  view.setUint32(CHECK_OFFSET, check, true);
  return [head, ...sections];
}

/**
 * The layer result in `encoded` (a transferred ArrayBuffer, or bytes read from a file: those are
 * copied first where they do not start a buffer of their own, for the columns' alignment).
 */
export function decodeLayerContents(encoded: ArrayBuffer | Uint8Array): LayerContents {
  const buffer = ownBuffer(encoded);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  if (buffer.byteLength < HEADER_OFFSET || view.getUint32(0, true) !== MAGIC) {
    throw new CorruptLayerResultError('is missing its signature');
  }
  const version = view.getUint32(4, true);
  if (version !== LAYER_CONTENTS_VERSION) {
    throw new CorruptLayerResultError(`is of version ${version}, not ${LAYER_CONTENTS_VERSION}`);
  }
  if (checkOf(bytes) !== view.getUint32(CHECK_OFFSET, true)) {
    throw new CorruptLayerResultError('does not match its CRC-32 (cut short or damaged)');
  }
  const jsonLength = view.getUint32(8, true);
  if (HEADER_OFFSET + jsonLength > buffer.byteLength) throw new CorruptLayerResultError('has a cut header');
  const header = parseHeader(bytes.subarray(HEADER_OFFSET, HEADER_OFFSET + jsonLength));
  const lengths = sectionLengths(header);
  const start = align8(HEADER_OFFSET + jsonLength);
  if (start + lengths.reduce((a, b) => a + b, 0) !== buffer.byteLength) {
    throw new CorruptLayerResultError('is of the wrong length');
  }
  let offset = start;
  /** The next section, as a view of the buffer (every section starts aligned for its type). */
  const next = <T>(make: (offset: number, count: number) => T, unit: number): T => {
    const length = lengths.shift() ?? 0;
    const section = make(offset, length / unit);
    offset += length;
    return section;
  };
  const n = header.length;
  const sizes = next((at, count) => new Float64Array(buffer, at, count), 8);
  const bodyOffsets = next((at, count) => new Float64Array(buffer, at, count), 8);
  const modes = next((at, count) => new Uint32Array(buffer, at, count), 4);
  const uids = next((at, count) => new Uint32Array(buffer, at, count), 4);
  const gids = next((at, count) => new Uint32Array(buffer, at, count), 4);
  const hashSlots = next((at, count) => new Int32Array(buffer, at, count), 4);
  const pathLengths = next((at, count) => new Uint32Array(buffer, at, count), 4);
  const linkIndices = next((at, count) => new Int32Array(buffer, at, count), 4);
  const linkLengths = next((at, count) => new Uint32Array(buffer, at, count), 4);
  const metadataIndices = next((at, count) => new Int32Array(buffer, at, count), 4);
  const metadataLengths = next((at, count) => new Uint32Array(buffer, at, count), 4);
  const types = next((at, count) => new Uint8Array(buffer, at, count), 1);
  const hashBytes = next((at, count) => new Uint8Array(buffer, at, count), 1);
  const pathRun = next((at, count) => new Uint8Array(buffer, at, count), 1);
  const linkRun = next((at, count) => new Uint8Array(buffer, at, count), 1);
  const metadataRun = next((at, count) => new Uint8Array(buffer, at, count), 1);

  const others = new Set(header.sparse.otherHashes.map(([index]) => index));
  // One loop over the entries for every check of theirs (it runs cold, once per stored layer).
  for (let i = 0; i < n; i++) {
    if ((types[i] ?? TYPE_CODES) >= TYPE_CODES) throw new CorruptLayerResultError('has a bad entry type');
    const slot = hashSlots[i] ?? LOWEST_HASH_SLOT - 1;
    if (
      slot < LOWEST_HASH_SLOT ||
      slot >= header.hashCount ||
      (slot === DEFERRED_HASH_SLOT && !header.deferredBodies)
    ) {
      throw new CorruptLayerResultError('has a bad content-hash slot');
    }
    if (slot === OTHER_HASH_SLOT && !others.has(i)) {
      throw new CorruptLayerResultError('has a content-hash slot with no hash');
    }
  }
  if (header.deferredBodies) checkBodyOffsets(hashSlots, bodyOffsets);
  checkIndices(linkIndices, n, 'link targets');
  checkIndices(metadataIndices, n, 'package metadata');

  let linkTargets: (string | undefined)[] | null = null;
  if (header.linkCount > 0) {
    linkTargets = new Array<string | undefined>(n).fill(undefined);
    const targets = cut(linkRun, header.linkEncoding, linkLengths, 'link targets');
    let previous: string | undefined;
    linkIndices.forEach((index, i) => {
      const target = targets[i] ?? '';
      // Equal neighbours share one string, as EntryTable.setLinkTarget keeps them.
      previous = target === previous ? previous : target;
      (linkTargets as (string | undefined)[])[index] = previous;
    });
  }
  const packageMetadata: [number, Buffer][] = [];
  let metadataOffset = 0;
  metadataIndices.forEach((index, i) => {
    const length = metadataLengths[i] ?? 0;
    if (metadataOffset + length > metadataRun.length) {
      throw new CorruptLayerResultError('has package metadata that does not add up');
    }
    // A copy: a view would keep the whole buffer alive for as long as the body is.
    packageMetadata.push([index, Buffer.from(metadataRun.subarray(metadataOffset, metadataOffset + length))]);
    metadataOffset += length;
  });
  if (metadataOffset !== metadataRun.length) {
    throw new CorruptLayerResultError('has package metadata that does not add up');
  }
  const columns: EntryColumns = {
    length: n,
    paths: cut(pathRun, header.pathEncoding, pathLengths, 'paths'),
    types,
    sizes,
    modes,
    uids,
    gids,
    hashSlots,
    hashBytes,
    bodyOffsets: header.deferredBodies ? bodyOffsets : null,
    linkTargets,
    sparse: header.sparse,
    packageMetadata,
  };
  return {
    entries: EntryTable.fromColumns(columns),
    tarSizeBytes: header.tarSizeBytes,
    uncompressedBytes: header.uncompressedBytes,
    storedBytes: header.storedBytes,
    compression: header.compression,
    warnings: header.warnings,
    contentKeyId: header.contentKeyId,
  };
}

/** The buffer whole, as an ArrayBuffer of its own (copied where `encoded` views part of one). */
function ownBuffer(encoded: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (encoded instanceof ArrayBuffer) return encoded;
  const whole = encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength;
  if (whole && encoded.buffer instanceof ArrayBuffer) return encoded.buffer;
  const copy = new Uint8Array(encoded.byteLength);
  copy.set(encoded);
  return copy.buffer;
}

/** The CRC-32 of the buffer but the check itself. */
function checkOf(bytes: Uint8Array): number {
  return crc32(bytes.subarray(HEADER_OFFSET), crc32(bytes.subarray(0, CHECK_OFFSET)));
}

/** The header, every field of the expected kind (the CRC-32 already matched; this guards a writer bug). */
function parseHeader(json: Uint8Array): Header {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));
  } catch {
    throw new CorruptLayerResultError('has a header that is not JSON');
  }
  const header = value as Partial<Header> | null;
  const bad = (field: string): never => {
    throw new CorruptLayerResultError(`has a bad header field "${field}"`);
  };
  if (typeof header !== 'object' || header === null) return bad('(all)');
  const counts = [
    'length',
    'hashCount',
    'linkCount',
    'metadataCount',
    'pathBytes',
    'linkBytes',
    'metadataBytes',
  ] as const;
  for (const field of counts) if (!isCount(header[field])) bad(field);
  for (const field of ['tarSizeBytes', 'uncompressedBytes', 'storedBytes'] as const) {
    const bytes = header[field];
    if (typeof bytes !== 'number' || !(bytes >= 0 && bytes < Infinity)) bad(field);
  }
  for (const field of ['pathEncoding', 'linkEncoding'] as const) {
    if (header[field] !== 'latin1' && header[field] !== 'utf16le') bad(field);
  }
  if (!COMPRESSIONS.includes(header.compression as Compression)) bad('compression');
  if (!isStrings(header.warnings)) bad('warnings');
  if (typeof header.contentKeyId !== 'string') bad('contentKeyId');
  if (typeof header.deferredBodies !== 'boolean') bad('deferredBodies');
  const n = header.length as number;
  const sparse = header.sparse;
  if (typeof sparse !== 'object' || sparse === null) return bad('sparse');
  if (!isSparse(sparse.otherHashes, n, (hash) => typeof hash === 'string')) bad('sparse.otherHashes');
  if (!isSparse(sparse.secretKinds, n, isStrings)) bad('sparse.secretKinds');
  const isAccount = (pair: unknown): boolean =>
    Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && isCount(pair[1]);
  const isAccounts = (ids: unknown): boolean => Array.isArray(ids) && ids.every(isAccount);
  if (!isSparse(sparse.accountIds, n, isAccounts)) bad('sparse.accountIds');
  return header as Header;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** `[index, value][]` with each index an entry's, at most once. */
function isSparse(value: unknown, length: number, isValue: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false;
  const seen = new Set<number>();
  return value.every((pair: unknown) => {
    if (!Array.isArray(pair) || pair.length !== 2) return false;
    const [index, item] = pair as [unknown, unknown];
    if (!isCount(index) || index >= length || seen.has(index)) return false;
    seen.add(index);
    return isValue(item);
  });
}

/**
 * Each deferred hash's body offset: a byte offset, or -(i + 1) for a hard link sharing the
 * deferred hash of an earlier entry i (as EntryTable.shareContentHash writes it).
 */
function checkBodyOffsets(hashSlots: Int32Array, bodyOffsets: Float64Array): void {
  hashSlots.forEach((slot, index) => {
    if (slot !== DEFERRED_HASH_SLOT) return;
    const offset = bodyOffsets[index] ?? -1;
    const from = -offset - 1;
    const valid =
      Number.isSafeInteger(offset) &&
      (offset >= 0 ||
        (from < index && hashSlots[from] === DEFERRED_HASH_SLOT && (bodyOffsets[from] ?? -1) >= 0));
    if (!valid) throw new CorruptLayerResultError('has a bad offset of a deferred body');
  });
}

/** Entry indices in increasing order (each entry at most once). */
function checkIndices(indices: Int32Array, length: number, what: string): void {
  let previous = -1;
  for (const index of indices) {
    if (index <= previous || index >= length) throw new CorruptLayerResultError(`has bad indices of ${what}`);
    previous = index;
  }
}

function encodeRun(run: string): { bytes: Buffer; encoding: RunEncoding } {
  // One byte per code unit where every unit fits (nearly always), two otherwise.
  const encoding: RunEncoding = /[\u0100-\uffff]/.test(run) ? 'utf16le' : 'latin1';
  return { bytes: Buffer.from(run, encoding), encoding };
}

/** Runs of at least this many bytes are decoded piece by piece (see `cut`). */
const DECODED_BY_PIECE_FROM = 1 << 16;

/**
 * Cuts a run of strings (`encodeRun`'s bytes) into its pieces by their lengths in code units.
 * A large run's pieces are each decoded as a string of their own, not sliced from one string of
 * the whole run: V8 compares a slice several times slower (a million paths are sorted and looked
 * up) and a slice keeps the whole run alive. A small run (a few thousand paths at most) is
 * decoded once and sliced, which costs less than a decoding call per piece.
 */
function cut(bytes: Uint8Array, encoding: RunEncoding, lengths: Uint32Array, what: string): string[] {
  if (encoding === 'utf16le' && bytes.length % 2 !== 0) throw new CorruptLayerResultError('has a cut name');
  const run = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A small run as one string, cut in code units; a large one cut in bytes, each piece decoded.
  const whole = run.length < DECODED_BY_PIECE_FROM ? run.toString(encoding) : null;
  const size = whole?.length ?? run.length;
  const unit = whole === null && encoding === 'utf16le' ? 2 : 1;
  const pieces = new Array<string>(lengths.length);
  let start = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = start + (lengths[i] ?? 0) * unit;
    if (end > size) throw new CorruptLayerResultError(`has ${what} that do not add up`);
    pieces[i] = whole === null ? run.toString(encoding, start, end) : whole.slice(start, end);
    start = end;
  }
  if (start !== size) throw new CorruptLayerResultError(`has ${what} that do not add up`);
  return pieces;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
