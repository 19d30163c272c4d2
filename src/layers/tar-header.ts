/** ustar/GNU/PAX header decoding shared by the archive indexer and the layer parser. */
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

export function decodeHeader(block: Buffer): HeaderResult {
  const stored = parseNumeric(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (stored === null || stored !== sum) return { ok: false, reason: 'checksum mismatch' };
  const size = parseNumeric(block.subarray(124, 136));
  const mode = parseNumeric(block.subarray(100, 108));
  const uid = parseNumeric(block.subarray(108, 116));
  const gid = parseNumeric(block.subarray(116, 124));
  if (size === null || mode === null || uid === null || gid === null)
    return { ok: false, reason: 'bad numeric field' };
  const isUstar = block.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = isUstar ? cString(block.subarray(345, 500)) : '';
  const name = cString(block.subarray(0, 100));
  const typeByte = block[156] ?? 0;
  return {
    ok: true,
    header: {
      name: prefix === '' ? name : `${prefix}/${name}`,
      size,
      type: typeByte === 0 ? '0' : String.fromCharCode(typeByte),
      linkname: cString(block.subarray(157, 257)),
      mode,
      uid,
      gid,
    },
  };
}

/** Applies PAX records and GNU long names that preceded a header. */
export function applyExtensions(
  header: TarHeader,
  pax: Map<string, string> | null,
  longName: string | null,
  longLink: string | null,
): TarHeader {
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
  const end = bytes.indexOf(0);
  return decodeTarText(bytes.subarray(0, end === -1 ? bytes.length : end));
}

/** Octal, or GNU base-256 (high bit set) for values that do not fit. */
function parseNumeric(field: Buffer): number | null {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return Number.isSafeInteger(value) ? value : null;
  }
  const text = cString(field).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  return parseInt(text, 8);
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
      records.set(record.subarray(0, eq).toString('latin1'), decodeTarText(record.subarray(eq + 1)));
    pos += length;
  }
  return records;
}
