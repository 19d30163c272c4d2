import { execFileSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import xxhash from 'xxhash-wasm';
import type { Transform } from 'node:stream';
import { createNativeZstd, hasNativeZstd } from '../../../src/layers/native-zstd.js';
import { ZstdDecompress } from '../../../src/layers/zstd-decompress.js';
import { fillBytes } from '../../helpers/fill.js';

/** The zstd CLI, stdin to stdout (so frames carry no content size unless `--content-size` is forced). */
const zstd = (input: Buffer, ...args: string[]): Buffer =>
  execFileSync('zstd', ['-q', '-c', ...args], { input, maxBuffer: 1 << 28 });

/** The decoders: fzstd everywhere (Node 20's), libzstd where Node's zlib has it. */
const decoders: [string, () => Transform, RegExp][] = [
  ['fzstd', () => new ZstdDecompress(), /^content checksum mismatch$/],
];
if (hasNativeZstd) {
  decoders.push(['libzstd', () => createNativeZstd() as Transform, /^Restored data doesn't match checksum$/]);
}
let makeDecompressor: () => Transform = () => new ZstdDecompress();

/** Runs `bytes` through the zstd transform under test in chunks of `chunkSize` bytes. */
async function decompress(bytes: Buffer, chunkSize = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const out: Buffer[] = [];
  const decompressor = makeDecompressor();
  await pipeline(
    Readable.from(chunks),
    decompressor,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

/** A skippable frame (magic 0x184D2A50 + `variant`) holding `payload`. */
function skippable(variant: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a50 + variant, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const flip = (bytes: Buffer, at: number): Buffer => {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

const random = fillBytes('zstd-unit', 300_000);
const text = fillBytes('zstd-unit-text', 300_000, 'text');

describe('xxhash-wasm, the XXH64 behind the check', () => {
  it('gives the reference XXH64 values for seed 0', async () => {
    const { h64Raw } = await xxhash();
    expect(h64Raw(Buffer.from(''), 0n)).toBe(0xef46db3751d8e999n);
    expect(h64Raw(Buffer.from('a'), 0n)).toBe(0xd24ec4f1a98c6e5bn);
    expect(h64Raw(Buffer.from('abc'), 0n)).toBe(0x44bc2cf5ad770999n);
  });
});

describe.each(decoders)('zstd decompression with content checksums (%s)', (name, make, checksumError) => {
  beforeEach(() => {
    makeDecompressor = make;
  });

  it('decodes what the zstd CLI wrote, with and without a checksum, in any chunking', async () => {
    for (const args of [
      ['--check', '-3'],
      ['--no-check', '-3'],
      ['--check', '-1'],
      ['--check', '--stream-size=300000'],
    ]) {
      for (const data of [text, random]) {
        const frame = zstd(data, ...args);
        expect((await decompress(frame)).equals(data)).toBe(true);
      }
    }
    const frame = zstd(text.subarray(0, 20_000), '--check');
    for (const chunkSize of [1, 3, 4, 5, 13]) {
      expect((await decompress(frame, chunkSize)).equals(text.subarray(0, 20_000))).toBe(true);
    }
  });

  it('decodes concatenated frames and skips skippable frames anywhere, each frame checked', async () => {
    const parts = [text.subarray(0, 5000), Buffer.alloc(0), random.subarray(0, 3000), Buffer.from('z')];
    const stream = Buffer.concat([
      skippable(0, Buffer.from('leading')),
      zstd(parts[0] ?? Buffer.alloc(0), '--check'),
      zstd(parts[1] ?? Buffer.alloc(0), '--check'),
      skippable(0xf, Buffer.alloc(0)),
      skippable(7, Buffer.alloc(70_000, 1)),
      zstd(parts[2] ?? Buffer.alloc(0), '--no-check'),
      zstd(parts[3] ?? Buffer.alloc(0), '--check'),
      skippable(1, Buffer.from('trailing')),
    ]);
    const expected = Buffer.concat(parts);
    for (const chunkSize of [1, 2, 7, 4096, stream.length]) {
      expect((await decompress(stream, chunkSize)).equals(expected)).toBe(true);
    }
  });

  it('refuses a frame whose raw block was altered (fzstd alone decodes it silently)', async () => {
    const frame = zstd(random, '--check', '-1');
    // Magic, descriptor 0x04 (checksum, no content size), window descriptor, then a raw block.
    expect([...frame.subarray(4, 5)]).toEqual([0x04]);
    expect(frame.readUIntLE(6, 3) & 0b110).toBe(0);
    const broken = flip(frame, 9 + 1000);
    await expect(decompress(broken)).rejects.toThrow(checksumError);
    await expect(decompress(broken, name === 'fzstd' ? 1 : 4096)).rejects.toThrow(checksumError);
    // Without a stored checksum nothing can tell.
    const unchecked = zstd(random, '--no-check', '-1');
    const decoded = await decompress(flip(unchecked, 9 + 1000));
    expect(decoded.equals(random)).toBe(false);
    expect(decoded.length).toBe(random.length);
  });

  it('refuses a frame whose stored checksum was altered', async () => {
    const frame = zstd(text, '--check');
    await expect(decompress(flip(frame, frame.length - 1))).rejects.toThrow(checksumError);
  });

  it('refuses an altered second frame after a good one', async () => {
    const first = zstd(text.subarray(0, 10_000), '--check');
    const second = zstd(random.subarray(0, 10_000), '--check', '-1');
    const stream = Buffer.concat([first, flip(second, 9 + 5000)]);
    await expect(decompress(stream, 4096)).rejects.toThrow(checksumError);
  });

  it.skipIf(name !== 'fzstd')('says where the stream breaks off or stops being zstd', async () => {
    const first = zstd(text.subarray(0, 10_000), '--check');
    const second = zstd(text.subarray(0, 5000), '--check');
    await expect(decompress(Buffer.concat([first, second.subarray(0, 20)]))).rejects.toThrow(
      `unexpected end of data in the frame at byte ${first.length}`,
    );
    await expect(decompress(Buffer.concat([first, first.subarray(0, 3)]))).rejects.toThrow(
      `unexpected end of data in the frame at byte ${first.length}`,
    );
    await expect(decompress(first.subarray(0, first.length - 2))).rejects.toThrow(
      'unexpected end of data in the frame at byte 0',
    );
    await expect(decompress(Buffer.concat([first, Buffer.alloc(8)]))).rejects.toThrow(
      `unknown frame magic 0x00000000 at byte ${first.length}`,
    );
    const reservedBit = Buffer.from(first);
    reservedBit[4] = (reservedBit[4] ?? 0) | 0x08;
    await expect(decompress(reservedBit)).rejects.toThrow('reserved bit set in the frame header at byte 0');
    const reservedBlock = Buffer.from(first);
    reservedBlock[6] = (reservedBlock[6] ?? 0) | 0b110;
    await expect(decompress(reservedBlock)).rejects.toThrow('reserved block type in the frame at byte 0');
  });
});
