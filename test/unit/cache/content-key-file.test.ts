import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LayerResultCache } from '../../../src/cache/index.js';
import { CONTENT_KEY_FILE, storedContentKey, storedKeyBytes } from '../../../src/cache/content-key-file.js';
import { contentKeyFrom } from '../../../src/layers/index.js';
import { layer } from '../../helpers/layer-contents.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

const VERSION = 'test-version';
const digest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;

describe('the content key of stored layer results', () => {
  let root: string;
  let versionDir: string;
  let keyPath: string;
  beforeEach(async () => {
    root = await tempDir();
    versionDir = join(root, 'layers', VERSION);
    keyPath = join(versionDir, CONTENT_KEY_FILE);
  });

  it('is made once, 0600 in its version directory, and read back by the next run', async () => {
    const made = await storedContentKey(root, versionDir);
    expect(made.warning).toBeNull();
    const bytes = await readFile(keyPath);
    // The key, then its id: the hash of the key, as contentKeyFrom makes it.
    expect(bytes.length).toBe(48);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    expect(made.key?.id).toBe(contentKeyFrom(bytes.subarray(0, 32)).id);
    expect(bytes.subarray(32).toString('hex')).toBe(made.key?.id);
    const again = await storedContentKey(root, versionDir);
    expect(again).toEqual({ key: made.key, warning: null });
    // Nothing left in tmp/.
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('ends with one key when many runs make it at once', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => storedContentKey(root, versionDir)));
    const onDisk = contentKeyFrom((await readFile(keyPath)).subarray(0, 32)).id;
    expect(keys.map(({ key }) => key?.id)).toEqual(Array.from({ length: 8 }, () => onDisk));
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('replaces a short or long key with a warning, once', async () => {
    // 32 bytes: a key without its id (as imgscope stored it before the id was stored too).
    for (const damaged of [Buffer.alloc(0), Buffer.alloc(32, 1), Buffer.alloc(47, 1), Buffer.alloc(49, 1)]) {
      await mkdir(versionDir, { recursive: true });
      await writeFile(keyPath, damaged);
      const made = await storedContentKey(root, versionDir);
      expect(made.warning).toBe(
        `the layer-result cache's content key ${keyPath} is damaged; a new one was made (results stored under the old one are read again)`,
      );
      expect(made.key === null ? null : storedKeyBytes(made.key)).toEqual(await readFile(keyPath));
      expect((await storedContentKey(root, versionDir)).warning).toBeNull();
    }
  });

  it('is none where it can be neither read nor made: nothing is used or stored, without a word', async () => {
    await mkdir(keyPath, { recursive: true }); // a directory where the key should be
    const lines: string[] = [];
    const cache = new LayerResultCache(root, { version: VERSION, onWarning: (line) => lines.push(line) });
    expect(await cache.contentKey()).toBeNull();
    await cache.put(digest(1), digest(2), 'layer 0', { ...layer(['file', '/a', 1]), contentKeyId: '' });
    expect(await cache.get(digest(1), digest(2), 'layer 0')).toBeNull();
    expect(await cache.list()).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('keeps results of another key apart: not stored, and not used (removed) once the key changed', async () => {
    const cache = new LayerResultCache(root, { version: VERSION });
    const keyId = (await cache.contentKey())?.id ?? '';
    const result = { ...layer(['file', '/a', 1]), contentKeyId: keyId };
    await cache.put(digest(1), digest(2), 'layer 0', { ...result, contentKeyId: 'another key' });
    expect(await cache.list()).toEqual([]);
    await cache.put(digest(1), digest(2), 'layer 0', result);
    expect((await cache.get(digest(1), digest(2), 'layer 0'))?.contentKeyId).toBe(keyId);
    // The key deleted (by hand, say): the next run makes another, and the old result is not used.
    await writeFile(keyPath, Buffer.alloc(5));
    const next = new LayerResultCache(root, { version: VERSION, onWarning: () => undefined });
    expect((await next.contentKey())?.id).not.toBe(keyId);
    expect(await next.get(digest(1), digest(2), 'layer 0')).toBeNull();
    expect(await next.list()).toEqual([]);
  });

  it('goes with the last result of its version when the cache is pruned', async () => {
    const cache = new LayerResultCache(root, { version: VERSION });
    const keyId = (await cache.contentKey())?.id ?? '';
    await cache.put(digest(1), digest(2), 'layer 0', { ...layer(['file', '/a', 1]), contentKeyId: keyId });
    expect((await readdir(versionDir)).sort()).toEqual([
      CONTENT_KEY_FILE,
      `${digest(1).replace(':', '-')}.${digest(2).replace(':', '-')}`,
    ]);
    expect(await cache.prune()).toMatchObject({ entries: 1 });
    expect(await readdir(join(root, 'layers'))).toEqual([]);
  });
});
