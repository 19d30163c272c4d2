import { createHash } from 'node:crypto';
import { mkdir, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobCache, defaultCacheRoot } from '../../../src/registry/blob-cache.js';
import { readAll } from '../../helpers/stream-bytes.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';
import { waitFor } from '../../helpers/watchdog.js';

const digest = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Bytes in the cache's one temporary file (0 while there is none). */
async function partialSize(root: string): Promise<number> {
  const names = await readdir(join(root, 'tmp'));
  if (names.length !== 1) return 0;
  return (await stat(join(root, 'tmp', names[0]!))).size;
}

describe('BlobCache', () => {
  let root: string;
  beforeEach(async () => {
    root = await tempDir('imgscope-cache-');
  });
  afterEach(cleanupTempDirs);

  it('lives in $XDG_CACHE_HOME/imgscope or ~/.cache/imgscope', () => {
    expect(defaultCacheRoot({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe('/x/cache/imgscope');
    expect(defaultCacheRoot({ HOME: '/home/u' })).toBe('/home/u/.cache/imgscope');
    expect(defaultCacheRoot({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe('/home/u/.cache/imgscope');
  });

  it('stores a teed stream under its digest only once it has ended', async () => {
    const cache = new BlobCache(root);
    const data = Buffer.from('layer bytes '.repeat(1000));
    const source = new PassThrough();
    const tee = await cache.tee(source, digest(data), data.length);
    const out = readAll(tee);
    source.write(data.subarray(0, 100));
    // The first bytes reach the temporary file; the entry does not exist yet.
    await waitFor(async () => (await partialSize(root)) === 100, 'the first 100 bytes in the temporary file');
    expect(await cache.lookup(digest(data), data.length)).toBeNull();
    source.end(data.subarray(100));
    expect((await out).equals(data)).toBe(true);
    expect(await cache.lookup(digest(data), data.length)).toBe(
      join(root, 'blobs', 'sha256', digest(data).slice(7)),
    );
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('keeps nothing when the source fails or the consumer stops early', async () => {
    const cache = new BlobCache(root);
    const data = Buffer.alloc(3 * 1024 * 1024, 1);
    const failing = new PassThrough();
    const tee = await cache.tee(failing, digest(data), data.length);
    const result = readAll(tee).catch((e: unknown) => e);
    failing.write(data.subarray(0, 1000));
    failing.destroy(new Error('connection reset'));
    expect(await result).toBeInstanceOf(Error);
    const early = await cache.tee(Readable.from([data]), digest(data), data.length);
    early.destroy();
    // Removal follows the file's close: wait for the temporary file to go, then look.
    await waitFor(async () => (await readdir(join(root, 'tmp'))).length === 0, 'the temporary file to go');
    expect(await cache.lookup(digest(data), data.length)).toBeNull();
  });

  it('discards an entry whose bytes no longer match its digest', async () => {
    const cache = new BlobCache(root);
    const data = Buffer.from('config');
    await cache.put(digest(data), data);
    expect((await cache.read(digest(data), data.length))?.equals(data)).toBe(true);
    const path = join(root, 'blobs', 'sha256', digest(data).slice(7));
    await writeFile(path, 'CONFIG');
    expect(await cache.read(digest(data), data.length)).toBeNull();
    expect(await readdir(join(root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('prunes everything, or only entries unused for a while, and stale temporary files', async () => {
    const cache = new BlobCache(root);
    const old = Buffer.from('old');
    const fresh = Buffer.from('fresh');
    await cache.put(digest(old), old);
    await cache.put(digest(fresh), fresh);
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await utimes(join(root, 'blobs', 'sha256', digest(old).slice(7)), longAgo, longAgo);
    await mkdir(join(root, 'tmp'), { recursive: true });
    await writeFile(join(root, 'tmp', 'abc.999999999.0000.partial'), 'partial');
    const some = await cache.prune({ olderThanMs: 30 * 24 * 3600 * 1000 });
    expect(some).toEqual({ removedEntries: 1, removedBytes: 3 + 7, removedTemporaryFiles: 1 });
    expect(await cache.lookup(digest(fresh), fresh.length)).not.toBeNull();
    const all = await cache.prune();
    expect(all.removedEntries).toBe(1);
    expect(await readdir(join(root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('removes the least recently used blobs past its cap, never one a running analysis used', async () => {
    const blobs = [1, 2, 3].map((n) => Buffer.alloc(1000, n));
    const earlier = new BlobCache(root);
    const blobPath = (blob: Buffer): string => join(root, 'blobs', 'sha256', digest(blob).slice(7));
    const usedAgo = (blob: Buffer, ms: number): Promise<void> => {
      const used = new Date(Date.now() - ms);
      return utimes(blobPath(blob), used, used);
    };
    for (const [index, blob] of blobs.entries()) {
      await earlier.put(digest(blob), blob);
      // Used by runs an hour, two and three hours ago: blobs[2] is the least recent.
      await usedAgo(blob, (index + 1) * 3600_000);
    }
    const held = async (): Promise<string[]> => (await readdir(join(root, 'blobs', 'sha256'))).sort();
    const name = (blob: Buffer): string => digest(blob).slice(7);

    const cache = new BlobCache(root, { maxBytes: 2500 });
    const endRun = cache.beginRun();
    expect(cache.settings()).toEqual({ root, maxBytes: 2500, spareSince: expect.any(Number) as number });
    // Looked up by this run: spared, whatever its age was.
    expect(await cache.lookup(digest(blobs[2]!), 1000)).not.toBeNull();
    const fresh = Buffer.alloc(1000, 4);
    const tee = await cache.tee(Readable.from([fresh]), digest(fresh), fresh.length);
    expect((await readAll(tee)).equals(fresh)).toBe(true);
    // 4000 bytes held: the two least recent not used by this run go, leaving 2000 <= 2500.
    expect(await held()).toEqual([name(blobs[2]!), name(fresh)].sort());

    // Past the cap with only this run's blobs, in a thread that opened the cache from its
    // settings: all kept (the image being read needs them).
    const worker = new BlobCache(root, { ...cache.settings(), maxBytes: 1 });
    const more = Buffer.alloc(1000, 5);
    await worker.put(digest(more), more);
    expect(await held()).toEqual([name(blobs[2]!), name(fresh), name(more)].sort());

    // That image is done and the next began five minutes ago (an audit's long run): the blobs
    // the done one used (ten, nine and eight minutes ago) make room, the least recent first.
    endRun();
    await usedAgo(blobs[2]!, 10 * 60_000);
    await usedAgo(fresh, 9 * 60_000);
    await usedAgo(more, 8 * 60_000);
    const endNext = cache.beginRun(Date.now() - 5 * 60_000);
    const last = Buffer.alloc(10, 6);
    await cache.put(digest(last), last);
    expect(await held()).toEqual([name(fresh), name(more), name(last)].sort());
    endNext();
  });
});

describe('BlobCache on a disk that fails', () => {
  afterEach(cleanupTempDirs);

  it('passes the bytes on untouched when the cache cannot be written', async () => {
    const root = await tempDir('imgscope-cache-');
    // Files cannot be created under /proc, not even by root.
    await symlink('/proc', join(root, 'tmp'));
    const cache = new BlobCache(root);
    const data = Buffer.alloc(5 * 1024 * 1024, 3);
    const out = await readAll(
      await cache.tee(
        Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
        digest(data),
        data.length,
      ),
    );
    expect(out.equals(data)).toBe(true);
    expect(await cache.lookup(digest(data), data.length)).toBeNull();
    const blocked = new BlobCache(join(root, 'file-not-dir'));
    await writeFile(join(root, 'file-not-dir'), 'x');
    const through = await readAll(await blocked.tee(Readable.from([data]), digest(data), data.length));
    expect(through.equals(data)).toBe(true);
  });
});
