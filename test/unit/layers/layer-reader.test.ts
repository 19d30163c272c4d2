import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerStack } from '../../../src/analysis/index.js';
import { countDiveWaste, diveWasteInput } from '../../../src/analysis/dive-waste.js';
import { DigestMismatchError, InputFormatError, NetworkError } from '../../../src/errors.js';
import { LayerReader, randomContentKey, readLayer, type LayerInput } from '../../../src/layers/index.js';
import { contentHasher } from '../../../src/layers/content-hash.js';
import { EMPTY_CONTENT_HASH, type LayerContents } from '../../../src/model/index.js';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { fillBytes } from '../../helpers/fill.js';
import { scenario } from '../analysis/scenario.js';
import { rawTar, sha256, tarEntry, writeTempFile } from '../../helpers/raw-tar.js';

afterAll(cleanupTempDirs);

const tar = rawTar([
  tarEntry({ name: 'etc/', type: '5', mode: 0o755 }),
  tarEntry({ name: 'etc/passwd' }, Buffer.from('root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/:/bin/sh\n')),
  tarEntry({ name: 'bin/big' }, fillBytes('layer-reader', 300_000)),
  tarEntry({ name: 'bin/hard', type: '1', linkname: 'bin/big' }),
  tarEntry({ name: 'home/.npmrc' }, Buffer.from('//r/:_authToken=abc\n')),
  tarEntry({ name: 'var/lib/dpkg/status' }, Buffer.from('Package: a\nStatus: install ok installed\n\n')),
  tarEntry({ name: 'etc/os-release' }, Buffer.alloc(0)),
  tarEntry({ name: Buffer.from('bad-\xff-name', 'latin1') }, Buffer.from('not UTF-8 name')),
  tarEntry({ name: '../escape' }, Buffer.from('x')),
]);
const blob = gzipSync(tar);
const contentKey = randomContentKey();
const checks = { label: 'layer 0', digest: sha256(blob), size: blob.length, diffId: sha256(tar), contentKey };

const plain = (contents: LayerContents): unknown => ({ ...contents, entries: [...contents.entries] });

/** Input from a file region (the worker opens it) or, with `stream`, only as a stream. */
async function input(bytes: Buffer, stream = false): Promise<LayerInput> {
  // Padding around the blob: the region must be read at its offset, for its length.
  const path = await writeTempFile('blob', Buffer.concat([Buffer.alloc(100, 7), bytes, Buffer.alloc(50, 7)]));
  const region = { path, offset: 100, length: bytes.length };
  return {
    open: async () =>
      createReadStream(path, { start: 100, end: 100 + bytes.length - 1, highWaterMark: 4096 }),
    region: stream ? null : region,
  };
}

describe('LayerReader', () => {
  const reader = new LayerReader({
    threads: 2,
    concurrency: 2,
    inProcessMaxBytes: 0,
    callingThreadReads: false,
  });
  afterAll(() => reader.close());

  it('reads a layer on a worker thread to the same contents as on this thread, from a file or a stream', async () => {
    const here = await readLayer(await input(blob), checks);
    expect(here.entries.length).toBe(8);
    expect([...here.entries.packageMetadata().keys()]).toEqual([5, 6]);
    expect(here.warnings).toEqual(['layer 0: entry "../escape" escapes the image root; not applied']);
    // Bodies hashed under the key given; the hard link shares its target's; the empty file a marker.
    const big = contentHasher(contentKey, 300_000);
    big.update(fillBytes('layer-reader', 300_000));
    const bigHash = Buffer.from(big.digest()).toString('hex');
    expect([2, 3, 6].map((i) => here.entries.contentHash(i))).toEqual([bigHash, bigHash, EMPTY_CONTENT_HASH]);
    expect(here.contentKeyId).toBe(contentKey.id);
    const [fromFile, fromStream] = await Promise.all([
      reader.read(await input(blob), checks),
      reader.read(await input(blob, true), checks),
    ]);
    expect(plain(fromFile)).toEqual(plain(here));
    expect(plain(fromStream)).toEqual(plain(here));
  });

  it("counts dive's waste on an idle worker thread as this thread counts it", async () => {
    const input = diveWasteInput(new LayerStack(scenario));
    const here = countDiveWaste(input);
    // The scenario's three paths counted twice (see dive-efficiency.test.ts).
    expect([...here.wastedBytes].sort((a, b) => a - b)).toEqual([220, 400, 1000]);
    reader.prestart();
    const there = await reader.countDiveWaste(input);
    expect(there).toEqual(here);
    // The input was copied, not taken: this thread still has it.
    expect(input.pathIds.length).toBeGreaterThan(0);
    expect(countDiveWaste(input)).toEqual(here);
  });

  it("hashes a file region's bytes on a worker thread or on this one, and nothing around them", async () => {
    const big = fillBytes('digest', 3 * 1024 * 1024 + 5);
    const region = (await input(big)).region!;
    const [onWorkers, here] = await Promise.all([
      reader.digest(region, 'layer 0'),
      new LayerReader({ threads: 0, concurrency: 1 }).digest(region, 'layer 0'),
    ]);
    expect(onWorkers).toBe(sha256(big));
    expect(here).toBe(sha256(big));
    // A region past the end of its file hashes the bytes that are there.
    expect(await reader.digest({ ...region, length: region.length + 1000 }, 'layer 0')).toBe(
      sha256(Buffer.concat([big, Buffer.alloc(50, 7)])),
    );
    const stopped = new AbortController();
    stopped.abort(new Error('stopped'));
    await expect(reader.digest(region, 'layer 0', stopped.signal)).rejects.toThrow('stopped');
  });

  it('reads more layers than it has threads, each to its own result', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        const layer = rawTar([tarEntry({ name: `f${n}` }, Buffer.alloc(n * 1000, n))]);
        return reader.read(await input(layer, n % 2 === 0), {
          label: `layer ${n}`,
          digest: null,
          size: null,
          diffId: sha256(layer),
          contentKey,
        });
      }),
    );
    expect(results.map((r) => [r.entries.path(0), r.entries.size(0)])).toEqual([
      ['/f1', 1000],
      ['/f2', 2000],
      ['/f3', 3000],
      ['/f4', 4000],
      ['/f5', 5000],
    ]);
  });

  it('starts the largest of the layers asked for together first, and the smallest last', async () => {
    const single = new LayerReader({
      threads: 1,
      concurrency: 1,
      inProcessMaxBytes: 0,
      callingThreadReads: false,
    });
    single.prestart();
    try {
      const layers = [2, 5, 1, 4, 3].map((n) => ({
        n,
        tar: rawTar([tarEntry({ name: `f${n}` }, Buffer.alloc(n * 10_000, n))]),
      }));
      const inputs = await Promise.all(layers.map(({ tar }) => input(tar)));
      const finished: number[] = [];
      await Promise.all(
        layers.map(({ n, tar }, i) =>
          single
            .read(inputs[i]!, {
              label: `layer ${n}`,
              digest: null,
              size: null,
              diffId: sha256(tar),
              contentKey,
            })
            .then(() => finished.push(n)),
        ),
      );
      expect(finished).toEqual([5, 4, 3, 2, 1]);
    } finally {
      await single.close();
    }
  });

  it('fails with the error class and message the reader throws on this thread', async () => {
    const wrongDiffId = { ...checks, diffId: sha256('other') };
    const error = await reader.read(await input(blob), wrongDiffId).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DigestMismatchError);
    expect((error as Error).message).toBe(
      `layer 0 content (diff_id): digest mismatch: expected ${sha256('other')}, got ${sha256(tar)}`,
    );
    const corrupt = Buffer.from(blob);
    const crc = corrupt.length - 6; // in the gzip trailer's CRC
    corrupt.writeUInt8(corrupt.readUInt8(crc) ^ 0xff, crc);
    const gzipError = await reader
      .read(await input(corrupt, true), { ...checks, digest: null, size: null })
      .catch((err: unknown) => err);
    expect(gzipError).toBeInstanceOf(InputFormatError);
    expect((gzipError as Error).message).toMatch(/^layer 0: corrupt gzip data \(/);
  });

  it("passes a source stream's own error through as it was thrown", async () => {
    const failing = new NetworkError('blob download: connection reset');
    const source: LayerInput = {
      open: async () =>
        new Readable({
          read() {
            this.push(blob.subarray(0, 1000));
            this.destroy(failing);
          },
        }),
      region: null,
    };
    await expect(reader.read(source, checks)).rejects.toBe(failing);
  });

  it('stops a read when its signal aborts', async () => {
    const abort = new AbortController();
    const endless: LayerInput = { open: async () => new Readable({ read() {} }), region: null };
    const read = reader.read(endless, { ...checks, signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(read).rejects.toThrow();
    // The thread is free again afterwards.
    expect(plain(await reader.read(await input(blob), checks))).toEqual(
      plain(await readLayer(await input(blob), checks)),
    );
  });

  it('stops a read whose signal aborts while its bytes are being opened, and closes what was opened', async () => {
    const abort = new AbortController();
    const opened = new Readable({ read() {} });
    const slow: LayerInput = {
      open: async () => {
        abort.abort(new Error('stopped while opening'));
        return opened;
      },
      region: null,
    };
    await expect(reader.read(slow, { ...checks, signal: abort.signal })).rejects.toThrow(
      'stopped while opening',
    );
    expect(opened.destroyed).toBe(true);
  });
});

describe("LayerReader's count of dive's waste", () => {
  const input = diveWasteInput(new LayerStack(scenario));

  it('is left to the caller where no worker thread was started, the stack is too large, or the reader is closed', async () => {
    expect(new LayerReader({ threads: 0, concurrency: 1 }).countDiveWaste(input)).toBeNull();
    const reader = new LayerReader({ threads: 1, concurrency: 1 });
    reader.prestart();
    expect(reader.countDiveWaste({ ...input, typeCodes: new Uint8Array(250_001) })).toBeNull();
    await expect(reader.countDiveWaste(input)).resolves.toEqual(countDiveWaste(input));
    await reader.close();
    expect(reader.countDiveWaste(input)).toBeNull();
  });
});
