import { execFileSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import type { InlineDecoder } from '../../../src/layers/inline-decoder.js';
import { InlineZlib } from '../../../src/layers/inline-zlib.js';
import { hasNativeZstd } from '../../../src/layers/native-zstd.js';
import { WasmZstdDecoder } from '../../../src/layers/wasm-zstd.js';
import { fillBytes } from '../../helpers/fill.js';

/** The zstd CLI, stdin to stdout (so frames carry no content size unless `--content-size` is forced). */
const zstd = (input: Buffer, ...args: string[]): Buffer =>
  execFileSync('zstd', ['-q', '-c', ...args], { input, maxBuffer: 1 << 28 });

/** The decoders: libzstd as WebAssembly everywhere (Node 20's and 22's), Node's where its zlib has it. */
const decoders: [string, () => InlineDecoder, RegExp][] = [
  ['wasm', () => new WasmZstdDecoder(), /^content checksum mismatch$/],
];
if (hasNativeZstd()) {
  decoders.push([
    'zlib',
    () => InlineZlib.zstd() ?? expect.fail('no inline zstd on a Node with native zstd'),
    /^Restored data doesn't match checksum$/,
  ]);
}
let makeDecoder: () => InlineDecoder = () => new WasmZstdDecoder();

/** Runs `bytes` through the zstd decoder under test in chunks of `chunkSize` bytes. */
async function decompress(bytes: Buffer, chunkSize = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  return decodeChunks(chunks);
}

/** The decoder's output for `chunks`, copied out of its reused buffer; rejects where it throws. */
async function decodeChunks(chunks: Buffer[]): Promise<Buffer> {
  await Promise.resolve();
  const decoder = makeDecoder();
  const out: Buffer[] = [];
  const take = (piece: Buffer): void => void out.push(Buffer.from(piece));
  try {
    for (const chunk of chunks) decoder.write(chunk, take);
    decoder.end(take);
  } finally {
    decoder.close();
  }
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

/** Counts the WebAssembly instances made until `restore` (the global, as built-wasm.ts reads it). */
function countInstances(): { readonly count: number; restore(): void } {
  type Made = new (...args: unknown[]) => object;
  const api = (globalThis as unknown as { WebAssembly: { Instance: Made } }).WebAssembly;
  const original = api.Instance;
  let count = 0;
  api.Instance = class extends original {
    constructor(...args: unknown[]) {
      super(...args);
      count++;
    }
  };
  return {
    get count() {
      return count;
    },
    restore: () => void (api.Instance = original),
  };
}

const random = fillBytes('zstd-unit', 300_000);
const text = fillBytes('zstd-unit-text', 300_000, 'text');

describe.each(decoders)('zstd decompression with content checksums (%s)', (name, make, checksumError) => {
  beforeEach(() => {
    makeDecoder = make;
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

  it('refuses a frame whose raw block was altered (only the checksum can tell)', async () => {
    const frame = zstd(random, '--check', '-1');
    // Magic, descriptor 0x04 (checksum, no content size), window descriptor, then a raw block.
    expect([...frame.subarray(4, 5)]).toEqual([0x04]);
    expect(frame.readUIntLE(6, 3) & 0b110).toBe(0);
    const broken = flip(frame, 9 + 1000);
    await expect(decompress(broken)).rejects.toThrow(checksumError);
    await expect(decompress(broken, name === 'wasm' ? 1 : 4096)).rejects.toThrow(checksumError);
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

  it('refuses a window above 128 MiB and takes one of 128 MiB', async () => {
    // Magic, descriptor 0 (no checksum, no content size, not single-segment), the window
    // descriptor (exponent - 10) << 3 | mantissa eighths, then one raw last block: "x".
    const frame = (window: number): Buffer =>
      Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, window, 0x09, 0x00, 0x00, 0x78]);
    expect((await decompress(frame(17 << 3))).toString()).toBe('x');
    for (const window of [(17 << 3) | 1, 18 << 3, 0xff]) {
      await expect(decompress(frame(window))).rejects.toThrow(
        /^Frame requires too much memory for decoding$/,
      );
    }
  });

  it.skipIf(name !== 'wasm')('says where the stream breaks off or stops being zstd', async () => {
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
    await expect(decompress(reservedBit)).rejects.toThrow(/^Unsupported frame parameter$/);
    const reservedBlock = Buffer.from(first);
    reservedBlock[6] = (reservedBlock[6] ?? 0) | 0b110;
    await expect(decompress(reservedBlock)).rejects.toThrow(/^Data corruption detected$/);
  });
});

describe('libzstd as WebAssembly (wasm-zstd.ts)', () => {
  beforeEach(() => {
    makeDecoder = () => new WasmZstdDecoder();
  });

  // A frame, a skippable frame, a frame of another level, an empty frame.
  const contents = [
    Buffer.from('first frame, '.repeat(20)),
    Buffer.alloc(0),
    text.subarray(0, 1500),
    Buffer.alloc(0),
  ];
  const frames = [
    zstd(contents[0] ?? Buffer.alloc(0), '--check'),
    skippable(2, Buffer.from('meta')),
    zstd(contents[2] ?? Buffer.alloc(0), '--check', '-1'),
    zstd(contents[3] ?? Buffer.alloc(0), '--check'),
  ];
  const stream = Buffer.concat(frames);
  const starts = frames.map((_, index) => Buffer.concat(frames.slice(0, index)).length);
  const splits = (bytes: Buffer): [number, Buffer[]][] =>
    Array.from({ length: bytes.length + 1 }, (_, at) => [at, [bytes.subarray(0, at), bytes.subarray(at)]]);

  it('decodes the same bytes wherever the input is split', async () => {
    expect(starts).toEqual([0, frames[0]?.length, (frames[0]?.length ?? 0) + 12, stream.length - 13]);
    const expected = Buffer.concat(contents);
    for (const [at, chunks] of splits(stream)) {
      expect((await decodeChunks(chunks)).equals(expected), `split at ${at}`).toBe(true);
    }
  });

  it('says which frame a cut stream breaks off in, wherever it is cut', async () => {
    for (let end = 1; end < stream.length; end++) {
      const frame = starts.findLastIndex((start) => start < end);
      const start = starts[frame] ?? 0;
      const decoded = decompress(stream.subarray(0, end), 7);
      if (starts.includes(end)) {
        expect((await decoded).equals(Buffer.concat(contents.slice(0, frame + 1))), `cut at ${end}`).toBe(
          true,
        );
      } else {
        await expect(decoded, `cut at ${end}`).rejects.toThrow(
          new RegExp(`^unexpected end of data in the frame at byte ${start}$`),
        );
      }
    }
  });

  it('names a frame that is not zstd by its first four bytes, wherever the input is split', async () => {
    const first = frames[0] ?? Buffer.alloc(0);
    for (const [at, chunks] of splits(Buffer.concat([first, Buffer.from('ABCDEFGH')]))) {
      await expect(decodeChunks(chunks), `split at ${at}`).rejects.toThrow(
        new RegExp(`^unknown frame magic 0x44434241 at byte ${first.length}$`),
      );
    }
    // Two bytes that match no magic, then the end: a cut, as for any other frame.
    for (const [at, chunks] of splits(Buffer.concat([first, Buffer.from('AB')]))) {
      await expect(decodeChunks(chunks), `split at ${at}`).rejects.toThrow(
        new RegExp(`^unexpected end of data in the frame at byte ${first.length}$`),
      );
    }
  });

  it('refuses a bad checksum in the third frame wherever the input is split', async () => {
    const bad = flip(stream, (starts[3] ?? 0) - 1);
    for (const [at, chunks] of splits(bad)) {
      await expect(decodeChunks(chunks), `split at ${at}`).rejects.toThrow(/^content checksum mismatch$/);
    }
  });

  it('gives the next decoder the instance a clean decode left, not a failed or grown one', async () => {
    const made = countInstances();
    try {
      const small = zstd(text.subarray(0, 1000), '--check');
      const expected = text.subarray(0, 1000);
      expect((await decompress(small)).equals(expected)).toBe(true);
      const before = made.count;
      // Two in a row: the second takes the instance the first left.
      expect((await decompress(small)).equals(expected)).toBe(true);
      expect((await decompress(small)).equals(expected)).toBe(true);
      expect(made.count).toBe(before);
      // A decode that fails keeps its instance from the next one.
      await expect(decompress(flip(small, small.length - 1))).rejects.toThrow(/^content checksum mismatch$/);
      expect((await decompress(small)).equals(expected)).toBe(true);
      expect(made.count).toBe(before + 1);
      // A frame whose 128 MiB window grows the instance it was given: that one is not kept.
      const wide = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 17 << 3, 0x09, 0x00, 0x00, 0x78]);
      expect((await decompress(wide)).toString()).toBe('x');
      expect(made.count).toBe(before + 1);
      expect((await decompress(small)).equals(expected)).toBe(true);
      expect(made.count).toBe(before + 2);
    } finally {
      made.restore();
    }
  });

  it('gives decoders alive at once instances of their own, and keeps one of them', async () => {
    const first = text.subarray(0, 200_000);
    const second = random.subarray(0, 200_000);
    const frameA = zstd(first, '--check');
    const frameB = zstd(second, '--check');
    await decompress(frameA);
    const made = countInstances();
    try {
      const [a, b] = [new WasmZstdDecoder(), new WasmZstdDecoder()];
      expect(made.count).toBe(1);
      const outA: Buffer[] = [];
      const outB: Buffer[] = [];
      for (let at = 0; at < Math.max(frameA.length, frameB.length); at += 1000) {
        a.write(frameA.subarray(at, at + 1000), (piece) => void outA.push(Buffer.from(piece)));
        b.write(frameB.subarray(at, at + 1000), (piece) => void outB.push(Buffer.from(piece)));
      }
      a.end();
      b.end();
      expect(Buffer.concat(outA).equals(first)).toBe(true);
      expect(Buffer.concat(outB).equals(second)).toBe(true);
      expect((await decompress(frameB)).equals(second)).toBe(true);
      expect(made.count).toBe(1);
    } finally {
      made.restore();
    }
  });

  it('hands a small chunk that expands a million times on 256 KiB at a time, never whole', () => {
    const zeros = 64 << 20;
    const bomb = zstd(Buffer.alloc(zeros), '--check');
    expect(bomb.length).toBeLessThan(4096);
    const decoder = new WasmZstdDecoder();
    const sizes = new Map<number, number>();
    let nonZero = 0;
    decoder.write(bomb, (piece) => {
      sizes.set(piece.length, (sizes.get(piece.length) ?? 0) + 1);
      if (piece.some((byte) => byte !== 0)) nonZero++;
    });
    decoder.end();
    expect([...sizes]).toEqual([[256 * 1024, zeros / (256 * 1024)]]);
    expect(nonZero).toBe(0);
  });
});
