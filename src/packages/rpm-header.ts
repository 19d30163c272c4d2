/**
 * The RPM header format as the rpm database stores it (rpm's lib/header.c, "hdrblob"): a blob
 * of two big-endian int32 counts (index entries `il`, data bytes `dl`), `il` index entries of
 * four big-endian int32 (tag, type, offset into the data store, count), then the data store.
 * Read from image content, so every count, offset and string is bounds-checked: a malformed
 * header is an error naming what is wrong, never a read outside the blob.
 */

/** Value types of the index entries (rpm's rpmTagType). */
const CHAR = 1;
const INT8 = 2;
const INT16 = 3;
const INT32 = 4;
const INT64 = 5;
const STRING = 6;
const BIN = 7;
const STRING_ARRAY = 8;
const I18NSTRING = 9;

/** rpm refuses headers beyond these (hdrchkTags, hdrchkData); so do we. */
const MAX_ENTRIES = 0xffff;
const MAX_DATA_BYTES = 0x0fffffff;
const ENTRY_BYTES = 16;

export type RpmTagValue = string | string[] | number[] | Uint8Array;

/** A header's entries by tag; where a tag repeats, the later entry wins (rpm's "dribble" entries). */
export type RpmHeader = ReadonlyMap<number, RpmTagValue>;

export class RpmHeaderError extends Error {}

/**
 * The values of `tags` in one header blob; throws RpmHeaderError when the blob is malformed.
 * Only the asked-for tags are decoded, each once: entries of a hostile header could all point
 * at one large string array.
 */
export function parseRpmHeader(blob: Uint8Array, tags: ReadonlySet<number>): RpmHeader {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.byteLength < 8) throw new RpmHeaderError(`header of ${blob.byteLength} bytes is too short`);
  const entries = view.getInt32(0);
  const dataBytes = view.getInt32(4);
  if (entries < 1 || entries > MAX_ENTRIES) throw new RpmHeaderError(`header has ${entries} entries`);
  if (dataBytes < 0 || dataBytes > MAX_DATA_BYTES)
    throw new RpmHeaderError(`header has ${dataBytes} data bytes`);
  const dataStart = 8 + entries * ENTRY_BYTES;
  if (dataStart + dataBytes !== blob.byteLength)
    throw new RpmHeaderError(
      `header declares ${dataStart + dataBytes} bytes but the blob has ${blob.byteLength}`,
    );
  const data = blob.subarray(dataStart);
  const wanted = new Map<number, { type: number; offset: number; count: number }>();
  for (let index = 0; index < entries; index++) {
    const at = 8 + index * ENTRY_BYTES;
    const tag = view.getInt32(at);
    const type = view.getUint32(at + 4);
    const offset = view.getInt32(at + 8);
    const count = view.getUint32(at + 12);
    if (offset < 0 || offset > dataBytes)
      throw new RpmHeaderError(`tag ${tag}: offset ${offset} outside the ${dataBytes}-byte data store`);
    if (count < 1 || count > dataBytes) throw new RpmHeaderError(`tag ${tag}: count ${count}`);
    if (tags.has(tag)) wanted.set(tag, { type, offset, count });
  }
  const header = new Map<number, RpmTagValue>();
  for (const [tag, { type, offset, count }] of wanted)
    header.set(tag, readValue(data, tag, type, offset, count));
  return header;
}

/** Bytes of a blob's two counts and its index, from the counts; null where the entry count is out of range. */
export function headerIndexBytes(head: Uint8Array): number | null {
  if (head.byteLength < 8) return null;
  const entries = new DataView(head.buffer, head.byteOffset, 8).getInt32(0);
  return entries < 1 || entries > MAX_ENTRIES ? null : 8 + entries * ENTRY_BYTES;
}

/** Where in a blob the value of one entry can lie, as far as the index tells. */
export interface ValueSpan {
  start: number;
  end: number;
  type: number;
  count: number;
}

/**
 * The spans of a blob of `length` bytes that the values of `tags` can occupy, read from its
 * counts and index alone (`head`, at least headerIndexBytes long): fixed-width values exactly,
 * strings up to the next entry's data. So the database is asked only for these bytes, not a
 * header's changelog or file digests. Null where the index is one parseRpmHeader refuses.
 */
export function valueSpans(head: Uint8Array, length: number, tags: ReadonlySet<number>): ValueSpan[] | null {
  const indexBytes = headerIndexBytes(head);
  if (indexBytes === null || head.byteLength < indexBytes) return null;
  const view = new DataView(head.buffer, head.byteOffset, indexBytes);
  const dataBytes = view.getInt32(4);
  if (dataBytes < 0 || indexBytes + dataBytes !== length) return null;
  const offsets: number[] = [dataBytes];
  // As parseRpmHeader: the later entry of a repeated tag is the one decoded.
  const wanted = new Map<number, { type: number; offset: number; count: number }>();
  for (let at = 8; at < indexBytes; at += ENTRY_BYTES) {
    const tag = view.getInt32(at);
    const type = view.getUint32(at + 4);
    const offset = view.getInt32(at + 8);
    const count = view.getUint32(at + 12);
    if (offset < 0 || offset > dataBytes || count < 1 || count > dataBytes) return null;
    offsets.push(offset);
    if (tags.has(tag)) wanted.set(tag, { type, offset, count });
  }
  offsets.sort((a, b) => a - b);
  return [...wanted.values()].map(({ type, offset, count }) => {
    const width = WIDTHS[type];
    const end =
      width === undefined
        ? (offsets.find((next) => next > offset) ?? dataBytes)
        : Math.min(offset + count * width, dataBytes);
    return { start: indexBytes + offset, end: indexBytes + end, type, count };
  });
}

/** Bytes per item of the fixed-width types (the other types are strings, or refused). */
const WIDTHS: Partial<Record<number, number>> = {
  [CHAR]: 1,
  [INT8]: 1,
  [BIN]: 1,
  [INT16]: 2,
  [INT32]: 4,
  [INT64]: 8,
};

/**
 * Whether each span holds its whole value in `blob` (fixed-width values: `count` items; strings:
 * `count` NUL-terminated ones). Where one does not, a value runs into other entries' data and
 * only the whole blob decodes it as rpm would.
 */
export function spansHoldValues(blob: Uint8Array, spans: readonly ValueSpan[]): boolean {
  return spans.every(({ start, end, type, count }) => {
    const width = WIDTHS[type];
    if (width !== undefined) return start + count * width <= end;
    if (type !== STRING && type !== STRING_ARRAY && type !== I18NSTRING) return true;
    let at = start;
    for (let index = 0; index < count; index++) {
      const nul = blob.indexOf(0, at);
      if (nul < 0 || nul >= end) return false;
      at = nul + 1;
    }
    return true;
  });
}

function readValue(data: Uint8Array, tag: number, type: number, offset: number, count: number): RpmTagValue {
  switch (type) {
    case CHAR:
    case INT8:
    case BIN:
      return data.subarray(offset, within(data, tag, offset, count));
    case INT16:
      return integers(data, tag, offset, count, 2);
    case INT32:
      return integers(data, tag, offset, count, 4);
    case INT64:
      return integers(data, tag, offset, count, 8);
    case STRING:
      if (count !== 1) throw new RpmHeaderError(`tag ${tag}: a string with count ${count}`);
      return strings(data, tag, offset, 1)[0] ?? '';
    case STRING_ARRAY:
    case I18NSTRING:
      return strings(data, tag, offset, count);
    default:
      throw new RpmHeaderError(`tag ${tag}: unknown type ${type}`);
  }
}

/** The end of `count` bytes at `offset`, checked against the data store. */
function within(data: Uint8Array, tag: number, offset: number, count: number): number {
  const end = offset + count;
  if (end > data.byteLength)
    throw new RpmHeaderError(`tag ${tag}: ${count} bytes at ${offset} run past the data store`);
  return end;
}

function integers(data: Uint8Array, tag: number, offset: number, count: number, width: number): number[] {
  if (offset % width !== 0) throw new RpmHeaderError(`tag ${tag}: offset ${offset} not aligned to ${width}`);
  within(data, tag, offset, count * width);
  const view = new DataView(data.buffer, data.byteOffset + offset, count * width);
  const values: number[] = [];
  for (let index = 0; index < count; index++) {
    const at = index * width;
    values.push(
      width === 2 ? view.getUint16(at) : width === 4 ? view.getUint32(at) : Number(view.getBigUint64(at)),
    );
  }
  return values;
}

const utf8 = new TextDecoder('utf-8');

function strings(data: Uint8Array, tag: number, offset: number, count: number): string[] {
  const values: string[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    const end = data.indexOf(0, at);
    if (end < 0) throw new RpmHeaderError(`tag ${tag}: string ${index} has no terminating NUL`);
    values.push(utf8.decode(data.subarray(at, end)));
    at = end + 1;
  }
  return values;
}

/** The tags the inventory reads (rpm's rpmTag). */
export const RpmTag = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SIZE: 1009,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  PROVIDENAME: 1047,
  REQUIRENAME: 1049,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  LONGSIZE: 5009,
} as const;

/** A string tag's value; null where it is absent or of another type. */
export function headerString(header: RpmHeader, tag: number): string | null {
  const value = header.get(tag);
  if (typeof value === 'string') return value;
  // I18NSTRING: the first (untranslated) value.
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
}

export function headerStrings(header: RpmHeader, tag: number): string[] {
  const value = header.get(tag);
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : [];
}

export function headerNumbers(header: RpmHeader, tag: number): number[] {
  const value = header.get(tag);
  return Array.isArray(value) && value.every((item) => typeof item === 'number') ? (value as number[]) : [];
}
