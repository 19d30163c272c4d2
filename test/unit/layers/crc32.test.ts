import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, nativeCrc32Available, tableCrc32 } from '../../../src/layers/crc32.js';

describe('crc32', () => {
  it('is zlib’s CRC-32, whole and continued, in the table used where Node lacks zlib.crc32', () => {
    // The check value of the CRC-32 catalogue: "123456789" -> 0xcbf43926.
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const bytes = randomBytes(4099);
    expect(tableCrc32(bytes)).toBe(zlib.crc32(bytes));
    expect(tableCrc32(bytes.subarray(1000), tableCrc32(bytes.subarray(0, 1000)))).toBe(zlib.crc32(bytes));
    expect(crc32(bytes.subarray(17), crc32(bytes.subarray(0, 17)))).toBe(zlib.crc32(bytes));
    expect(tableCrc32(new Uint8Array(0), 0x1234)).toBe(0x1234);
    // An empty view of an empty buffer: zlib alone gives 0 for it (no data pointer), not the CRC so far.
    expect(crc32(new Uint8Array(new Float64Array(0).buffer), 0x1234)).toBe(0x1234);
  });

  it('takes a string as its UTF-8 bytes (what names a code cache)', () => {
    expect(crc32('héllo wörld')).toBe(zlib.crc32(Buffer.from('héllo wörld')));
    expect(crc32('wörld', crc32('héllo '))).toBe(zlib.crc32('héllo wörld'));
    expect(crc32('', 0x1234)).toBe(0x1234);
    expect(nativeCrc32Available()).toBe(typeof zlib.crc32 === 'function');
  });
});
