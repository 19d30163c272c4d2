import * as zlib from 'node:zlib';

/**
 * CRC-32 (zlib's, IEEE 802.3) of `bytes`, continuing from `initial`: what a stored layer result
 * is checked with (accidental damage: the cache is private, so no hash would stop a writer). zlib's
 * own (Node >= 20.15, vectorized) where Node has it; the same polynomial in a table otherwise
 * (engines allow any Node 20).
 */
export function crc32(bytes: Uint8Array, initial = 0): number {
  // zlib's crc32() gives 0 for no buffer at all, which is what an empty view may hand it.
  if (bytes.length === 0) return initial;
  const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  return native === undefined ? tableCrc32(bytes, initial) : native(bytes, initial);
}

let table: Uint32Array | null = null;

/** The table-driven CRC-32, byte by byte (exported for the test that holds it to zlib's). */
export function tableCrc32(bytes: Uint8Array, initial = 0): number {
  table ??= makeTable();
  let crc = ~initial >>> 0;
  for (const byte of bytes) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return ~crc >>> 0;
}

function makeTable(): Uint32Array {
  const made = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    made[n] = c >>> 0;
  }
  return made;
}
