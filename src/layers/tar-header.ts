/** ustar/GNU/PAX header decoding shared by the archive indexer and the layer parser. */
import { blockByteSum } from './tar-block-sum.js';
import { decodeTarText } from './tar-text.js';

export const BLOCK_SIZE = 512;

export interface TarHeader {
  name: string;
  /** Size field of the header (for link and directory types the body is empty whatever it says). */
  size: number;
  /** The typeflag character: '0' file, '1' hard link, '2' symlink, '5' directory, 'x' PAX... */
  type: string;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
}

export type HeaderResult = { ok: true; header: TarHeader } | { ok: false; reason: string };

/** Type flags whose entries never have a body, whatever their size field says (as Go's reader). */
const HEADER_ONLY_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

export function bodyLength(header: TarHeader): number {
  return HEADER_ONLY_TYPES.has(header.type) ? 0 : header.size;
}

export function paddedLength(length: number): number {
  return Math.ceil(length / BLOCK_SIZE) * BLOCK_SIZE;
}

export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK_SIZE; i++) if (block[i] !== 0) return false;
  return true;
}

/** Fields are read in place (no subarray per field): a million-entry layer decodes a million headers. */
export function decodeHeader(block: Buffer): HeaderResult {
  const stored = parseNumeric(block, 148, 8);
  if (stored === null || stored !== headerChecksum(block)) return { ok: false, reason: 'checksum mismatch' };
  const size = parseNumeric(block, 124, 12);
  const mode = parseNumeric(block, 100, 8);
  const uid = parseNumeric(block, 108, 8);
  const gid = parseNumeric(block, 116, 8);
  if (size === null || mode === null || uid === null || gid === null)
    return { ok: false, reason: 'bad numeric field' };
  const prefix = isUstar(block) ? fieldText(block, 345, 155) : '';
  const name = fieldText(block, 0, 100);
  const typeByte = block[156] ?? 0;
  return {
    ok: true,
    header: {
      name: prefix === '' ? name : `${prefix}/${name}`,
      size,
      type: typeByte === 0 ? '0' : String.fromCharCode(typeByte),
      linkname: fieldText(block, 157, 100),
      mode,
      uid,
      gid,
    },
  };
}

/** The sum of the header's bytes, its checksum field counted as spaces. */
function headerChecksum(block: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 148; i < 156; i++) sum -= block[i] ?? 0;
  return sum + blockByteSum(block);
}

/** "ustar" at offset 257, compared byte by byte (a callback a byte costs more while cold). */
function isUstar(block: Buffer): boolean {
  return (
    block[257] === 0x75 &&
    block[258] === 0x73 &&
    block[259] === 0x74 &&
    block[260] === 0x61 &&
    block[261] === 0x72
  );
}

/** Applies PAX records and GNU long names that preceded a header. */
export function applyExtensions(
  header: TarHeader,
  pax: Map<string, string> | null,
  longName: string | null,
  longLink: string | null,
): TarHeader {
  // Most entries have none: the header as it is, without a copy.
  if (pax === null && longName === null && longLink === null) return header;
  const numeric = (key: string, fallback: number): number => {
    const value = pax?.get(key);
    const parsed = value === undefined ? NaN : Number(value);
    return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : fallback;
  };
  return {
    ...header,
    name: pax?.get('path') ?? longName ?? header.name,
    linkname: pax?.get('linkpath') ?? longLink ?? header.linkname,
    size: numeric('size', header.size),
    uid: numeric('uid', header.uid),
    gid: numeric('gid', header.gid),
  };
}

export function cString(bytes: Buffer): string {
  return fieldText(bytes, 0, bytes.length);
}

/** The text of a NUL-terminated field of `length` bytes at `start`. */
function fieldText(block: Buffer, start: number, length: number): string {
  return decodeTarText(block, start, fieldEnd(block, start, length));
}

/**
 * Where a field of `length` bytes at `start` ends: its first NUL, or its last byte. A header's
 * fields are looked at in a loop: Buffer.indexOf's native call costs more than the few bytes it
 * would search (about 10 ms of 20,000 headers), and it searched on past the field.
 */
function fieldEnd(block: Buffer, start: number, length: number): number {
  const limit = start + length;
  if (length > BLOCK_SIZE) {
    const nul = block.indexOf(0, start);
    return nul === -1 || nul > limit ? limit : nul;
  }
  let end = start;
  while (end < limit && block[end] !== 0) end++;
  return end;
}

/**
 * Octal (NUL-terminated, blank-padded), or GNU base-256 (high bit set) for values that do not fit.
 * One pass and no calls: five fields a header, run cold for much of a layer. Blanks are space
 * and \t..\r; an empty or blank field is 0; anything else in it makes it invalid (null).
 */
function parseNumeric(block: Buffer, start: number, length: number): number | null {
  const limit = start + length;
  const first = block[start] ?? 0;
  if ((first & 0x80) !== 0) {
    let value = first & 0x7f;
    for (let i = start + 1; i < limit; i++) value = value * 256 + (block[i] ?? 0);
    return Number.isSafeInteger(value) ? value : null;
  }
  // Leading blanks, then the digits, then only blanks up to a NUL or the field's end.
  let i = start;
  for (; i < limit; i++) {
    const byte = block[i] ?? 0;
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) break;
  }
  let value = 0;
  for (; i < limit; i++) {
    const digit = (block[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 7) break;
    value = value * 8 + digit;
  }
  for (; i < limit; i++) {
    const byte = block[i] ?? 0;
    if (byte === 0) break;
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return null;
  }
  return value;
}

export function parsePaxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space === -1) break;
    const length = parseInt(body.subarray(pos, space).toString('latin1'), 10);
    if (!Number.isSafeInteger(length) || length <= 0 || pos + length > body.length) break;
    const record = body.subarray(space + 1, pos + length - 1);
    const eq = record.indexOf(0x3d);
    if (eq > 0)
      records.set(record.subarray(0, eq).toString('latin1'), decodeTarText(record, eq + 1, record.length));
    pos += length;
  }
  return records;
}
