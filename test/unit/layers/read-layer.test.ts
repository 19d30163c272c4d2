import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DigestMismatchError } from '../../../src/errors.js';
import {
  randomContentKey,
  readLayer,
  type LayerInput,
  type LayerReadOptions,
} from '../../../src/layers/index.js';
import type { LayerContents } from '../../../src/model/index.js';
import { fillBytes } from '../../helpers/fill.js';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { paxHeader, rawTar, sha256, tarEntry, writeTempFile } from '../../helpers/raw-tar.js';

afterAll(cleanupTempDirs);

const contentKey = randomContentKey();
const MiB = 1024 * 1024;

/**
 * A plain tar over several 1 MiB chunks: a body across two chunk boundaries, and a PAX header
 * whose records straddle the first boundary (its first part is read into the buffer the third
 * chunk is read into, so a kept view of it would be overwritten).
 */
const tar = rawTar([
  tarEntry({ name: 'etc/passwd' }, Buffer.from('root:x:0:0::/root:/bin/sh\n')),
  tarEntry({ name: 'pad' }, fillBytes('pad', MiB - 3 * 512 - 1024)),
  paxHeader({ path: `usr/share/${'long-name/'.repeat(60)}file`, 'SCHILY.xattr.user.x': 'y'.repeat(100) }),
  tarEntry({ name: 'placeholder' }, Buffer.from('named by the PAX header')),
  tarEntry({ name: 'big' }, fillBytes('big', 2.5 * MiB)),
  tarEntry({ name: 'hard', type: '1', linkname: 'big' }),
  tarEntry({ name: 'empty' }, Buffer.alloc(0)),
  tarEntry({ name: 'home/.npmrc' }, Buffer.from('//r/:_authToken=abc\n')),
]);

/** The same bytes as a file region (padding around it) and as a stream only. */
async function inputs(bytes: Buffer, fileLength = bytes.length): Promise<[LayerInput, LayerInput]> {
  const padded = Buffer.concat([Buffer.alloc(100, 7), bytes, Buffer.alloc(50, 7)]).subarray(
    0,
    100 + fileLength,
  );
  const path = await writeTempFile('layer', padded);
  // As the worker opens a region (createReadStream cannot express an empty range).
  const open = async (): Promise<Readable> =>
    bytes.length === 0
      ? Readable.from([])
      : createReadStream(path, { start: 100, end: 100 + bytes.length - 1, highWaterMark: 64 * 1024 });
  return [
    { open, region: { path, offset: 100, length: bytes.length } },
    { open, region: null },
  ];
}

const plain = (contents: LayerContents): unknown => ({ ...contents, entries: [...contents.entries] });

/** What a read gives: its contents as plain data, or its error's class and message. */
async function outcome(input: LayerInput, options: LayerReadOptions): Promise<unknown> {
  return readLayer(input, options).then(plain, (err: unknown) => ({
    error: (err as Error).constructor.name,
    message: (err as Error).message,
  }));
}

function checks(bytes: Buffer, fields: Partial<LayerReadOptions> = {}): LayerReadOptions {
  return {
    label: 'layer 2',
    digest: sha256(bytes),
    size: bytes.length,
    diffId: sha256(bytes),
    contentKey,
    ...fields,
  };
}

describe('readLayer from a file region', () => {
  it('reads a plain tar to the contents the stream gives, over several chunks', async () => {
    const [region, stream] = await inputs(tar);
    const contents = await readLayer(region, checks(tar));
    expect(plain(contents)).toEqual(await outcome(stream, checks(tar)));
    expect(contents.entries.length).toBe(7);
    expect(contents.entries.path(2)).toBe(`/usr/share/${'long-name/'.repeat(60)}file`);
    expect([contents.storedBytes, contents.uncompressedBytes]).toEqual([tar.length, tar.length]);
    expect(contents.entries.contentHash(4)).toBe(contents.entries.contentHash(3));
    expect(contents.entries.get(6).secretKinds).toEqual(['npm-token']);
  });

  it('fails as the stream does: another diff_id, another size, a cut tar, a corrupt header, a short file', async () => {
    const [region, stream] = await inputs(tar);
    const cases: LayerReadOptions[] = [
      checks(tar, { diffId: sha256('other') }),
      checks(tar, { digest: null, diffId: sha256('other') }),
      checks(tar, { size: tar.length + 1 }),
      checks(tar, { size: tar.length - 1 }),
    ];
    for (const options of cases)
      expect(await outcome(region, options)).toEqual(await outcome(stream, options));
    expect(await outcome(region, cases[2] as LayerReadOptions)).toEqual({
      error: 'InputFormatError',
      message: `layer 2 blob: ${tar.length} bytes where its descriptor declares ${tar.length + 1}`,
    });

    const cut = tar.subarray(0, 2 * MiB + 100);
    const [cutRegion, cutStream] = await inputs(cut);
    const noDigests = checks(cut, { digest: null, size: null, diffId: null });
    expect(await outcome(cutRegion, noDigests)).toEqual(await outcome(cutStream, noDigests));
    expect((await outcome(cutRegion, noDigests)) as { message: string }).toMatchObject({
      message: expect.stringMatching(/^layer 2: truncated layer: "big" at offset \d+ declares 2621440 bytes/),
    });

    const corrupt = Buffer.from(tar);
    const hardHeader = corrupt.indexOf(Buffer.from('hard\0'));
    corrupt[hardHeader + 1] = 0x41; // the header after "big"'s body, past the third chunk's start
    const [corruptRegion, corruptStream] = await inputs(corrupt);
    expect(await outcome(corruptRegion, checks(corrupt))).toEqual(
      await outcome(corruptStream, checks(corrupt)),
    );
    expect(await outcome(corruptRegion, checks(corrupt))).toEqual({
      error: 'InputFormatError',
      message: `layer 2: corrupt tar header at offset ${hardHeader} (checksum mismatch)`,
    });

    // The file ends before the region does (an archive cut after it was indexed).
    const [shortRegion, shortStream] = await inputs(tar, MiB + 10);
    expect(await outcome(shortRegion, checks(tar))).toEqual(await outcome(shortStream, checks(tar)));
  });

  it('reads a gzip region and stream as the plain tar inside, and an empty region', async () => {
    const blob = gzipSync(tar);
    const [region, stream] = await inputs(blob);
    const options = checks(blob, { diffId: sha256(tar) });
    const [plainRegion] = await inputs(tar);
    const expected = {
      ...(plain(await readLayer(plainRegion, checks(tar))) as object),
      compression: 'gzip',
      storedBytes: blob.length,
    };
    expect(await outcome(region, options)).toEqual(expected);
    expect(await outcome(stream, options)).toEqual(expected);
    const [emptyRegion, emptyStream] = await inputs(Buffer.alloc(0));
    const none = checks(Buffer.alloc(0));
    expect(await outcome(emptyRegion, none)).toEqual(await outcome(emptyStream, none));
    expect(((await outcome(emptyRegion, none)) as { entries: unknown[] }).entries).toEqual([]);
  });

  it('names a broken gzip blob by its digest where that is wrong, else by what zlib says', async () => {
    const blob = gzipSync(tar);
    const broken = Buffer.from(blob);
    broken[Math.floor(blob.length / 2)] = (broken[Math.floor(blob.length / 2)] ?? 0) ^ 0xff;
    const cut = blob.subarray(0, blob.length - 100);
    const [brokenRegion, brokenStream] = await inputs(broken);
    const [cutRegion, cutStream] = await inputs(cut);
    const cases: [LayerInput, LayerInput, LayerReadOptions, string][] = [
      // The descriptor names the intact blob: its digest fails first, though zlib broke earlier.
      [
        brokenRegion,
        brokenStream,
        checks(broken, { digest: sha256(blob), diffId: sha256(tar) }),
        `layer 2 blob: digest mismatch: expected ${sha256(blob)}, got ${sha256(broken)}`,
      ],
      [
        cutRegion,
        cutStream,
        checks(cut, { diffId: sha256(tar) }),
        'layer 2: corrupt gzip data (unexpected end of file)',
      ],
    ];
    for (const [region, stream, options, message] of cases) {
      expect(await outcome(region, options)).toEqual({ error: expect.any(String), message });
      expect(await outcome(stream, options)).toEqual(await outcome(region, options));
    }
    // A stream that checks the digest itself (a registry download: `digest` null) fails at its
    // end: with `sourceVerifies`, that failure is the answer, not zlib's earlier one.
    const verifyingStream = {
      region: null,
      open: async (): Promise<Readable> =>
        Readable.from(
          (async function* () {
            yield broken.subarray(0, 1000);
            yield broken.subarray(1000);
            throw new DigestMismatchError('blob from r/app', sha256(blob), sha256(broken));
          })(),
        ),
    };
    const fromStream = checks(broken, { digest: null, diffId: sha256(tar) });
    expect(await outcome(verifyingStream, { ...fromStream, sourceVerifies: true })).toEqual({
      error: 'DigestMismatchError',
      message: `blob from r/app: digest mismatch: expected ${sha256(blob)}, got ${sha256(broken)}`,
    });
    expect(await outcome(verifyingStream, fromStream)).toMatchObject({
      message: expect.stringMatching(/^layer 2: corrupt gzip data \(/),
    });
    // The same bytes named by their own digest: zlib's error.
    expect(await outcome(brokenRegion, checks(broken, { diffId: sha256(tar) }))).toMatchObject({
      message: expect.stringMatching(/^layer 2: corrupt gzip data \(/),
    });
  });
});
