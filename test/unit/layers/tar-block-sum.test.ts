import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockByteSum, blockByteSumInJs } from '../../../src/layers/tar-block-sum.js';

const plainSum = (bytes: Uint8Array): number => bytes.reduce((sum, byte) => sum + byte, 0);

describe('the byte sum of a tar block', () => {
  it('is the sum of its 512 bytes, by the module and in JavaScript, at any alignment', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 512, maxLength: 512 }),
        fc.integer({ min: 0, max: 7 }),
        (bytes, offset) => {
          // A view at `offset` into a larger buffer, as the parser's blocks are views of a chunk.
          const chunk = Buffer.alloc(offset + 512 + 8, 0xff);
          chunk.set(bytes, offset);
          const block = chunk.subarray(offset, offset + 512);
          const expected = plainSum(bytes);
          expect(blockByteSum(block)).toBe(expected);
          expect(blockByteSumInJs(block)).toBe(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('sums every lane to the top: a block of 0xff bytes, then one of zeros', () => {
    expect(blockByteSum(Buffer.alloc(512, 0xff))).toBe(512 * 255);
    // Nothing of the block before stays in the module's memory.
    expect(blockByteSum(Buffer.alloc(512))).toBe(0);
    expect(blockByteSumInJs(Buffer.alloc(512, 0xff))).toBe(512 * 255);
  });

  it('sums the bytes a short block has', () => {
    const short = Buffer.from([1, 2, 3, 250]);
    expect(blockByteSum(short)).toBe(256);
    expect(blockByteSumInJs(short)).toBe(256);
  });
});
