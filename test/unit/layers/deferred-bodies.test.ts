import { appendFile, utimes } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { comparedBodies, LayerPaths } from '../../../src/analysis/index.js';
import { InputFormatError } from '../../../src/errors.js';
import { LayerReader, randomContentKey, readLayer, type LayerInput } from '../../../src/layers/index.js';
import { regionBodyHasher } from '../../../src/layers/deferred-bodies.js';
import { fileState } from '../../../src/layers/file-state.js';
import { EntryTable, type LayerContents } from '../../../src/model/index.js';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { fillBytes } from '../../helpers/fill.js';
import { rawTar, sha256, tarEntry, writeTempFile } from '../../helpers/raw-tar.js';

afterAll(cleanupTempDirs);

const contentKey = randomContentKey();

/** Large bodies (over 8 KiB) of every kind the reader treats apart, and small ones. */
const tar = rawTar([
  tarEntry({ name: 'bin/', type: '5' }),
  tarEntry({ name: 'bin/big' }, fillBytes('big', 300_000)),
  tarEntry({ name: 'bin/hard', type: '1', linkname: 'bin/big' }),
  tarEntry({ name: 'bin/harder', type: '1', linkname: 'bin/hard' }),
  tarEntry({ name: 'bin/other' }, fillBytes('other', 9_000)),
  tarEntry({ name: 'bin/small' }, fillBytes('small', 8 * 1024)),
  tarEntry({ name: 'bin/empty' }, Buffer.alloc(0)),
  // Read for what they hold: hashed as they are read, whatever their size.
  tarEntry(
    { name: 'var/lib/dpkg/status' },
    Buffer.from(`Package: a\nStatus: install ok installed\n\n${'#'.repeat(20_000)}`),
  ),
  tarEntry({ name: 'home/.npmrc' }, Buffer.from(`//r/:_authToken=abc\n${'#'.repeat(20_000)}`)),
  tarEntry({ name: 'etc/passwd' }, Buffer.from(`root:x:0:0::/root:/bin/sh\n${'#'.repeat(20_000)}`)),
]);
const checks = { label: 'layer 0', digest: sha256(tar), size: tar.length, diffId: sha256(tar), contentKey };

/** The tar at offset 100 of a file, as an archive holds a layer. */
async function layerFile(bytes: Buffer): Promise<LayerInput> {
  const path = await writeTempFile(
    'layer',
    Buffer.concat([Buffer.alloc(100, 7), bytes, Buffer.alloc(50, 7)]),
  );
  return {
    open: () => Promise.reject(new Error('read from the region')),
    region: { path, offset: 100, length: bytes.length },
  };
}

const hashes = (contents: LayerContents): (string | undefined)[] =>
  Array.from({ length: contents.entries.length }, (_, index) => contents.entries.contentHash(index));

const deferredPaths = (contents: LayerContents): string[] =>
  contents.entries.deferredBodies().map(([index]) => contents.entries.path(index));

describe('deferred body hashes', () => {
  it('leaves only large plain bodies unhashed, and hashes them later to what the read would have', async () => {
    const input = await layerFile(tar);
    const eager = await readLayer(input, checks);
    const lazy = await readLayer(input, { ...checks, deferBodyHashes: true });
    expect(eager.entries.hasDeferredContent()).toBe(false);
    expect(deferredPaths(lazy)).toEqual(['/bin/big', '/bin/other']);
    // Nothing says how to read the bodies again yet: a hash asked for is an error, not a guess.
    expect(() => lazy.entries.contentHash(1)).toThrow('the content hash of "/bin/big" was deferred');
    lazy.entries.hashDeferredBodiesWith(
      regionBodyHasher(input.region!, contentKey, fileState(input.region!.path)!),
    );
    // The links first: each takes its file's hash, computed for it.
    expect(lazy.entries.contentHash(3)).toBe(eager.entries.contentHash(3));
    expect(hashes(lazy)).toEqual(hashes(eager));
    expect(lazy.entries.hasDeferredContent()).toBe(false);
  });

  it('defers nothing where the bodies are not in the file as they are (gzip) or come as a stream', async () => {
    const blob = gzipSync(tar);
    const gzip = await readLayer(await layerFile(blob), {
      ...checks,
      digest: sha256(blob),
      size: blob.length,
      deferBodyHashes: true,
    });
    expect(gzip.entries.hasDeferredContent()).toBe(false);
    const { region } = await layerFile(tar);
    const stream = await readLayer(
      {
        open: async () =>
          (await import('node:fs')).createReadStream(region!.path, { start: 100, end: 100 + tar.length - 1 }),
        region: null,
      },
      { ...checks, deferBodyHashes: true },
    );
    expect(stream.entries.hasDeferredContent()).toBe(false);
    expect(hashes(gzip)).toEqual(hashes(stream));
  });

  it('refuses to hash bodies from a file written since its read', async () => {
    const input = await layerFile(tar);
    const path = input.region!.path;
    const before = fileState(path)!;
    const lazy = await readLayer(input, { ...checks, deferBodyHashes: true });
    lazy.entries.hashDeferredBodiesWith(regionBodyHasher(input.region!, contentKey, before));
    // Same size and times as before, only the change time moves: still refused.
    await appendFile(path, Buffer.alloc(0));
    await utimes(
      path,
      new Date(Number(before.mtimeNs / 1_000_000n)),
      new Date(Number(before.mtimeNs / 1_000_000n)),
    );
    const changed = (() => {
      try {
        lazy.entries.contentHash(1);
        return null;
      } catch (error) {
        return error;
      }
    })();
    expect(changed).toBeInstanceOf(InputFormatError);
    expect((changed as Error).message).toBe(`${path} changed while it was read`);
  });

  it('hashes what the merge compares on a worker, as on this thread, through the layer reader', async () => {
    const reader = new LayerReader({
      threads: 1,
      concurrency: 1,
      inProcessMaxBytes: 0,
      callingThreadReads: false,
    });
    try {
      const input = await layerFile(tar);
      const eager = await readLayer(input, checks);
      const lazy = await reader.read(input, { ...checks, deferBodyHashes: true });
      const [big, other] = lazy.entries.deferredBodies();
      // Both to the worker's share where this thread takes the largest first: one each.
      await reader.hashBodies([
        { table: lazy.entries, index: big![0], offset: big![1] },
        { table: lazy.entries, index: other![0], offset: other![1] },
      ]);
      expect(lazy.entries.deferredBodies()).toEqual([]);
      expect(hashes(lazy)).toEqual(hashes(eager));
      // A file written since: the worker refuses it too (this thread's share, the larger body, is
      // from a file left alone).
      const unchanged = await reader.read(await layerFile(tar), { ...checks, deferBodyHashes: true });
      const again = await reader.read(input, { ...checks, deferBodyHashes: true });
      await appendFile(input.region!.path, 'x');
      const [large] = unchanged.entries.deferredBodies();
      const [, small] = again.entries.deferredBodies();
      await expect(
        reader.hashBodies([
          { table: unchanged.entries, index: large![0], offset: large![1] },
          { table: again.entries, index: small![0], offset: small![1] },
        ]),
      ).rejects.toThrow(`${input.region!.path} changed while it was read`);
      expect(unchanged.entries.deferredBodies()).toHaveLength(1);
    } finally {
      await reader.close();
    }
  });
});

describe('comparedBodies', () => {
  /** A layer of files (path, size) whose hashes were all deferred, and hard links (path -> target). */
  function layer(files: [string, number][], links: [string, string][] = []): EntryTable {
    const table = new EntryTable();
    for (const [path, size] of files) {
      const index = table.add({ path, type: 'file', size, mode: 0o644, uid: 0, gid: 0 });
      table.setDeferredContent(index, index * 1000);
    }
    for (const [path, target] of links) {
      const index = table.add({ path, type: 'hardlink', size: 0, mode: 0o644, uid: 0, gid: 0 });
      table.setLinkTarget(index, target);
    }
    return table;
  }

  it("names the deferred bodies at paths written more than once and at hard links' targets", () => {
    const tables = [
      layer([
        ['/a', 10],
        ['/b', 10],
        ['/c', 10],
        ['/d', 10],
      ]),
      layer(
        [
          ['/a', 10],
          ['/e', 10],
        ],
        [['/l', '/c']],
      ),
      layer([
        ['/e', 99],
        ['/f', 10],
      ]),
    ];
    const paths = new LayerPaths();
    const found = comparedBodies(tables, paths).map(({ table, index, offset }) => [
      tables.indexOf(table),
      table.path(index),
      offset,
    ]);
    expect(found).toEqual([
      [0, '/a', 0],
      [0, '/c', 2000],
      [1, '/a', 0],
      [1, '/e', 1000],
      [2, '/e', 0],
    ]);
  });
});
