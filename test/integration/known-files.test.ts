import { readdir, readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTLED_MS } from '../../src/cache/known-files.js';
import { copyFixture, flipByte, memberData } from '../helpers/archive-surgery.js';
import { cleanupTempDirs, tempDir, writeDockerArchive, type ImageSpec } from '../helpers/image-builder.js';
import { LAYER_DEBUG, layerLog } from '../helpers/layer-log.js';
import { DIVE_FIXTURES, runCli } from '../helpers/run-cli.js';

afterAll(cleanupTempDirs);

function analyze(image: string, cache: string, flags: string[] = []) {
  return runCli(['analyze', image, '--json', ...flags], { XDG_CACHE_HOME: cache, ...LAYER_DEBUG });
}

/** The layers whose digest a run took from an earlier run's record instead of hashing them. */
const knownDigests = (stderr: string): string[] =>
  [...stderr.matchAll(/ imgscope:layers (layer \d+) sha256:[0-9a-f]{64} digest known$/gm)]
    .map((m) => m[1] ?? '')
    .sort();

const records = async (cache: string): Promise<string[]> =>
  readdir(join(cache, 'imgscope', 'known-files')).catch(() => []);

/** Waits until `file` last changed more than SETTLED_MS ago: a run then records its digests. */
async function settled(file: string): Promise<void> {
  const age = Date.now() - (await stat(file)).ctimeMs;
  if (age <= SETTLED_MS) await new Promise((resolve) => setTimeout(resolve, SETTLED_MS + 50 - age));
}

describe('digests of an archive kept between runs', () => {
  it('an archive analyzed before is not hashed again: the same report, every layer from the cache', async () => {
    // The fixture was checked out long before this run: its first analysis records its digests.
    const image = `${DIVE_FIXTURES}test-docker-image.tar`;
    const cache = await tempDir();
    const cold = await analyze(image, cache);
    expect(cold.code).toBe(0);
    expect(knownDigests(cold.stderr)).toEqual([]);
    const [record] = await records(cache);
    // Where the archive's members lie too: the next run reads no tar header.
    const stored = JSON.parse(
      await readFile(join(cache, 'imgscope', 'known-files', record ?? ''), 'utf8'),
    ) as { members: [string, number, number][]; regions: Record<string, string> };
    expect(stored.members).toContainEqual(['manifest.json', expect.any(Number), expect.any(Number)]);
    expect(Object.keys(stored.regions)).toHaveLength(15);
    const warm = await analyze(image, cache);
    const layers = Array.from({ length: 14 }, (_, i) => `layer ${i}`).sort();
    expect(layerLog(warm.stderr)).toEqual({ read: [], cached: layers });
    expect(knownDigests(warm.stderr)).toEqual(layers);
    expect(warm.stdout).toBe(cold.stdout);
    const uncached = await analyze(image, await tempDir(), ['--no-cache']);
    expect(warm.stdout).toBe(uncached.stdout);
  });

  it('records nothing for an archive written just before the run (a write in the same clock tick could go unseen)', async () => {
    const image = await copyFixture(`${DIVE_FIXTURES}test-docker-image.tar`, 'fresh.tar');
    const cache = await tempDir();
    expect((await analyze(image, cache)).code).toBe(0);
    const warm = await analyze(image, cache);
    expect(layerLog(warm.stderr).cached).toHaveLength(14);
    expect(knownDigests(warm.stderr)).toEqual([]);
    expect(await records(cache)).toEqual([]);
  });

  describe('an archive written after its digests were recorded is hashed again', () => {
    const spec: ImageSpec = {
      layers: [
        { entries: [{ type: 'file', path: '/etc/os-release', content: 'ID=test\n' }] },
        { entries: [{ type: 'file', path: '/app/data.bin', size: 64 * 1024 }] },
      ],
    };

    it('a swapped layer still fails with the digest error, its modification time put back', async () => {
      const archive = join(await tempDir(), 'image.tar');
      const built = await writeDockerArchive(spec, archive, { layout: 'skopeo' });
      await utimes(archive, 1_700_000_000, 1_700_000_000);
      await settled(archive);
      const cache = await tempDir();
      expect((await analyze(archive, cache)).code).toBe(0);
      expect(knownDigests((await analyze(archive, cache)).stderr)).toEqual(['layer 0', 'layer 1']);

      flipByte(archive, memberData(archive, `${built.diffIds[1]?.slice(7) ?? ''}.tar`).offset + 512 + 100);
      await utimes(archive, 1_700_000_000, 1_700_000_000);
      const swapped = await analyze(archive, cache);
      expect(swapped.code).toBe(2);
      expect(knownDigests(swapped.stderr)).toEqual([]);
      expect(swapped.stderr).toMatch(
        /imgscope: error: layer 1 content \(diff_id\): digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}\n$/,
      );
    });

    it('a changed config still fails with the digest error', async () => {
      const archive = join(await tempDir(), 'image.tar');
      const built = await writeDockerArchive(spec, archive, { layout: 'skopeo' });
      await settled(archive);
      const cache = await tempDir();
      expect((await analyze(archive, cache)).code).toBe(0);
      expect((await analyze(archive, cache)).code).toBe(0);

      const config = `${built.configDigest.slice(7)}.json`;
      // A space of the JSON's end made a tab: still JSON, another digest.
      const { offset, size } = memberData(archive, config);
      flipByte(archive, offset + size - 1);
      const changed = await analyze(archive, cache);
      expect(changed.code).toBe(2);
      expect(changed.stderr).toContain(
        `${archive}: ${config}: digest mismatch: expected ${built.configDigest}, got sha256:`,
      );
    });
  });
});
