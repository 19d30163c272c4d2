import { readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LayerResultCache } from '../../../src/cache/index.js';
import { encodeLayerContents } from '../../../src/layers/index.js';
import type { LayerContents } from '../../../src/model/index.js';
import { layer } from '../../helpers/layer-contents.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

const digest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;
const VERSION = 'test-version';

/** The id of the content key of the cache under test (made by the first cache opened on it). */
let keyId = '';

function contents(files: number, warnings: string[] = []): LayerContents {
  const built = layer(
    ...Array.from({ length: files }, (_, i) => ['file', `/f/${i}`, i] as ['file', string, number]),
  );
  return { ...built, warnings, contentKeyId: keyId };
}

/** The names of the stored results in a version directory (its content key left out). */
async function resultNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== 'content-key').sort();
}

/** The bytes an entry of `contents` takes (its warnings stored without their label). */
function entryBytes(value: LayerContents, label: string): number {
  const warnings = value.warnings.map((warning) => warning.slice(label.length + 2));
  return encodeLayerContents({ ...value, warnings }).byteLength;
}

describe('LayerResultCache', () => {
  let root: string;
  beforeEach(async () => {
    root = await tempDir();
    keyId = (await new LayerResultCache(root, { version: VERSION }).contentKey())?.id ?? '';
  });

  it('finds a result only under the pair of digests it was stored with, its warnings relabelled', async () => {
    const cache = new LayerResultCache(root, { version: VERSION });
    await cache.put(
      digest(1),
      digest(2),
      'layer 3',
      contents(2, ['layer 3: a path escapes the root; not applied']),
    );
    const found = await cache.get(digest(1), digest(2), 'layer 0');
    expect(found?.entries.length).toBe(2);
    expect(found?.warnings).toEqual(['layer 0: a path escapes the root; not applied']);
    // The same blob paired with another diff_id (a mis-paired config) finds nothing.
    expect(await cache.get(digest(1), digest(9), 'layer 0')).toBeNull();
    expect(await cache.has(digest(1), digest(9))).toBe(false);
    // Another reader version finds nothing either; cache list tells them apart.
    const other = new LayerResultCache(root, { version: 'another' });
    expect(await other.get(digest(1), digest(2), 'layer 0')).toBeNull();
    expect((await other.list()).map((entry) => [entry.digest, entry.diffId, entry.current])).toEqual([
      [digest(1), digest(2), false],
    ]);
  });

  it('stores nothing for a warning without the label, or a digest other than sha256', async () => {
    const cache = new LayerResultCache(root, { version: VERSION });
    await cache.put(digest(1), digest(2), 'layer 0', contents(1, ['something else']));
    await cache.put('sha512:' + 'a'.repeat(128), digest(2), 'layer 0', contents(1));
    expect(await cache.list()).toEqual([]);
  });

  it('removes the least recently used results once past the cap', async () => {
    const label = 'layer 0';
    const [a, b, c, d] = [contents(10), contents(20), contents(30), contents(40)];
    const roomy = new LayerResultCache(root, { version: VERSION });
    await roomy.put(digest(1), digest(1), label, a);
    await roomy.put(digest(2), digest(2), label, b);
    await roomy.put(digest(3), digest(3), label, c);
    const dir = join(root, 'layers', VERSION);
    const names = await resultNames(dir);
    // Written long ago, in order a, b, c; then a is used.
    for (const [i, name] of names.entries()) {
      const when = new Date(Date.UTC(2026, 0, 1 + i));
      await utimes(join(dir, name), when, when);
    }
    expect(await roomy.get(digest(1), digest(1), label)).not.toBeNull();

    const cap = entryBytes(a, label) + entryBytes(c, label) + entryBytes(d, label);
    const capped = new LayerResultCache(root, { version: VERSION, maxBytes: cap });
    await capped.put(digest(4), digest(4), label, d);
    // b, the least recently used, went; a (used), c and d stay, within the cap.
    expect((await capped.list()).map((entry) => entry.digest).sort()).toEqual([
      digest(1),
      digest(3),
      digest(4),
    ]);
    const sizes = await Promise.all(
      (await resultNames(dir)).map(async (name) => (await stat(join(dir, name))).size),
    );
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(cap);
  });

  it('warns once about a damaged entry, removes it and finds nothing', async () => {
    const lines: string[] = [];
    const cache = new LayerResultCache(root, { version: VERSION, onWarning: (line) => lines.push(line) });
    await cache.put(digest(1), digest(2), 'layer 0', contents(3));
    const [name] = await resultNames(join(root, 'layers', VERSION));
    await writeFile(join(root, 'layers', VERSION, name ?? ''), 'not a layer result');
    expect(await cache.get(digest(1), digest(2), 'layer 1')).toBeNull();
    expect(lines).toEqual([
      `the cached result of layer 1 (${digest(1)}) is damaged: an encoded layer result is missing its signature; it was removed and the layer is read again`,
    ]);
    expect(await cache.list()).toEqual([]);
  });

  it('prunes every entry, or those unused for a while', async () => {
    const cache = new LayerResultCache(root, { version: VERSION });
    await cache.put(digest(1), digest(1), 'layer 0', contents(1));
    await cache.put(digest(2), digest(2), 'layer 0', contents(2));
    const old = new Date(Date.UTC(2026, 0, 1));
    const [first] = await resultNames(join(root, 'layers', VERSION));
    await utimes(join(root, 'layers', VERSION, first ?? ''), old, old);
    const day = 24 * 60 * 60 * 1000;
    expect(await cache.prune({ olderThanMs: 30 * day })).toMatchObject({ entries: 1 });
    expect((await cache.list()).map((entry) => entry.digest)).toEqual([digest(2)]);
    expect(await cache.prune()).toMatchObject({ entries: 1 });
    expect(await readdir(join(root, 'layers'))).toEqual([]);
  });
});
