import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InlineZlib } from '../../../src/layers/inline-zlib.js';
import { fillBytes } from '../../helpers/fill.js';

/** Feeds `input` in pieces of `step` bytes and ends it; the output, copied out of the reused buffer. */
function inflate(input: Buffer, step: number): { output: Buffer; pieces: number } {
  const gunzip = InlineZlib.gunzip();
  if (gunzip === null) throw new Error('no inline gunzip on this Node');
  const kept: Buffer[] = [];
  const take = (piece: Buffer): void => void kept.push(Buffer.from(piece));
  for (let offset = 0; offset < input.length; offset += step)
    gunzip.write(input.subarray(offset, offset + step), take);
  gunzip.end(take);
  return { output: Buffer.concat(kept), pieces: kept.length };
}

function failure(input: Buffer, step: number): { code: unknown; message: string } {
  try {
    inflate(input, step);
  } catch (err) {
    return { code: (err as { code?: unknown }).code, message: (err as Error).message };
  }
  throw new Error('inflated without an error');
}

describe('InlineZlib.gunzip', () => {
  it('runs on this Node (CI runs 20, 22 and 24), so the reader never silently falls back', () => {
    expect(InlineZlib.gunzip()).not.toBeNull();
  });

  it('gives what gunzipSync gives, over concatenated members and zero padding, in any pieces', () => {
    const text = fillBytes('text', 300 * 1024);
    const input = Buffer.concat([gzipSync(text), gzipSync(Buffer.from('second member')), Buffer.alloc(9)]);
    const expected = gunzipSync(input);
    expect(expected.length).toBe(300 * 1024 + 13);
    // Buffer.compare, not toEqual: vitest compares a buffer byte by byte as an object, for seconds.
    for (const step of [1, 7, 4096, input.length])
      expect(Buffer.compare(inflate(input, step).output, expected)).toBe(0);
  });

  it('asks zlib again while its output fills the buffer: 3 MiB from a few kilobytes in one write', () => {
    const zeros = gzipSync(Buffer.alloc(3 * 1024 * 1024));
    expect(zeros.length).toBeLessThan(4096);
    const { output, pieces } = inflate(zeros, zeros.length);
    expect(Buffer.compare(output, Buffer.alloc(3 * 1024 * 1024))).toBe(0);
    expect(pieces).toBe(12);
  });

  it("throws zlib's own errors: a cut stream, a wrong checksum, a bad header, trailing garbage", () => {
    const gz = gzipSync(fillBytes('body', 100_000));
    expect(failure(gz.subarray(0, gz.length - 5), 1000)).toEqual({
      code: 'Z_BUF_ERROR',
      message: 'unexpected end of file',
    });
    const badCrc = Buffer.from(gz);
    badCrc[gz.length - 6] = (badCrc[gz.length - 6] ?? 0) ^ 0xff;
    expect(failure(badCrc, 1000)).toEqual({ code: 'Z_DATA_ERROR', message: 'incorrect data check' });
    expect(failure(Buffer.from('not gzip at all'), 4)).toEqual({
      code: 'Z_DATA_ERROR',
      message: 'incorrect header check',
    });
    expect(failure(Buffer.concat([gz, Buffer.from('junk')]), gz.length + 4)).toEqual({
      code: 'Z_DATA_ERROR',
      message: 'incorrect header check',
    });
  });
});
