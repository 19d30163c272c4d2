import { execFileSync } from 'node:child_process';
import { appendFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutFile, flipByte, memberData } from '../helpers/archive-surgery.js';
import {
  cleanupTempDirs,
  tempDir,
  writeDockerArchive,
  writeOciLayout,
  type DockerArchiveLayout,
  type ImageSpec,
} from '../helpers/image-builder.js';
import { LAYER_DEBUG, layerLog, withoutLayerLog } from '../helpers/layer-log.js';
import { DIVE_FIXTURES, FIXTURES, runCli } from '../helpers/run-cli.js';

afterAll(cleanupTempDirs);

const ALL_EIGHT = ['layer 0', 'layer 1', 'layer 2', 'layer 3', 'layer 4', 'layer 5', 'layer 6', 'layer 7'];

function analyze(image: string, cache: string, flags: string[] = [], env: Record<string, string> = {}) {
  return runCli(['analyze', image, '--json', ...flags], { XDG_CACHE_HOME: cache, ...LAYER_DEBUG, ...env });
}

/** The layer-result files of a cache, by path, with their sizes (each version's content key left out). */
async function entryFiles(cache: string): Promise<{ path: string; name: string; bytes: number }[]> {
  const layers = join(cache, 'imgscope', 'layers');
  const files = [];
  for (const version of await readdir(layers).catch(() => [] as string[])) {
    for (const name of await readdir(join(layers, version))) {
      if (name === 'content-key') continue;
      const path = join(layers, version, name);
      files.push({ path, name, bytes: (await stat(path)).size });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/** Which label each layer digest got in a run's DEBUG lines. */
function labelsByDigest(stderr: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const match of stderr.matchAll(/ imgscope:layers (layer \d+) sha256:([0-9a-f]{64}) /g)) {
    labels.set(match[2] as string, match[1] as string);
  }
  return labels;
}

describe('layer results cached between runs', () => {
  it('gives byte-identical JSON cold and warm on the bundled examples and dive images', async () => {
    const images = [
      `${FIXTURES}example.tar`,
      `${FIXTURES}example-optimized.tar`,
      ...[
        'test-docker-image.tar',
        'test-kaniko-image.tar',
        'test-oci-estargz-image.tar',
        'test-oci-gzip-image.tar',
        'test-oci-uncompressed-image.tar',
        'test-oci-zstd-image.tar',
      ].map((name) => `${DIVE_FIXTURES}${name}`),
    ];
    for (const image of images) {
      const cache = await tempDir();
      const cold = await analyze(image, cache);
      const warm = await analyze(image, cache);
      const fresh = await analyze(image, cache, ['--no-cache']);
      expect([cold.code, warm.code, fresh.code], image).toEqual([0, 0, 0]);
      expect(warm.stdout, image).toBe(cold.stdout);
      expect(fresh.stdout, image).toBe(cold.stdout);
      const layers = (JSON.parse(cold.stdout) as { layers: unknown[] }).layers.length;
      // kaniko's layers are gzip members named by no digest: not cached (nothing computed names them).
      const reread = image.endsWith('kaniko-image.tar') ? layers : 0;
      expect(layerLog(warm.stderr).read.length, image).toBe(reread);
      expect(layerLog(warm.stderr).cached.length, image).toBe(layers - reread);
      expect(layerLog(fresh.stderr).read.length, image).toBe(layers);
    }
  }, 120_000);

  it('discards a damaged or cut entry with one warning, reads that layer again and reports the same', async () => {
    const cache = await tempDir();
    const image = `${FIXTURES}example.tar`;
    const cold = await analyze(image, cache);
    expect(layerLog(cold.stderr).read).toEqual(ALL_EIGHT);
    const labels = labelsByDigest(cold.stderr);
    const files = await entryFiles(cache);
    expect(files).toHaveLength(8);
    const [flipped, cut] = [...files].sort((a, b) => b.bytes - a.bytes) as [
      (typeof files)[0],
      (typeof files)[0],
    ];
    flipByte(flipped.path, Math.floor(flipped.bytes / 2));
    cutFile(cut.path, cut.bytes - 100);
    const labelOf = (name: string): string => labels.get(name.slice(7, 71)) ?? '?';

    const warm = await analyze(image, cache);
    expect(warm.code).toBe(0);
    expect(warm.stdout).toBe(cold.stdout);
    expect(layerLog(warm.stderr).read).toEqual([labelOf(flipped.name), labelOf(cut.name)].sort());
    const warnings = withoutLayerLog(warm.stderr).trimEnd().split('\n').sort();
    expect(warnings).toHaveLength(2);
    expect(warnings).toEqual(
      [
        `imgscope: warning: the cached result of ${labelOf(cut.name)} (sha256:${cut.name.slice(7, 71)}) is damaged: an encoded layer result does not match its CRC-32 (cut short or damaged); it was removed and the layer is read again`,
        `imgscope: warning: the cached result of ${labelOf(flipped.name)} (sha256:${flipped.name.slice(7, 71)}) is damaged: an encoded layer result does not match its CRC-32 (cut short or damaged); it was removed and the layer is read again`,
      ].sort(),
    );
    // Read again and stored again: the next run uses every entry, silently.
    const next = await analyze(image, cache);
    expect(layerLog(next.stderr)).toEqual({ read: [], cached: ALL_EIGHT });
    expect(withoutLayerLog(next.stderr)).toBe('');
    expect(next.stdout).toBe(cold.stdout);
  });

  it('--no-cache neither uses nor stores layer results', async () => {
    const cache = await tempDir();
    const image = `${FIXTURES}example.tar`;
    const run = await analyze(image, cache, ['--no-cache']);
    expect(layerLog(run.stderr).read).toEqual(ALL_EIGHT);
    expect(await entryFiles(cache)).toEqual([]);
  });

  it('refuses a bad IMGSCOPE_LAYER_CACHE_MAX with exit 2 and one line', async () => {
    const run = await runCli(['analyze', `${FIXTURES}example.tar`], {
      XDG_CACHE_HOME: await tempDir(),
      IMGSCOPE_LAYER_CACHE_MAX: 'lots',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'imgscope: error: IMGSCOPE_LAYER_CACHE_MAX: "lots" is not a size: expected a number with an optional unit such as 20MB or 1.5GiB\n',
    );
  });

  it('keeps the stored results under IMGSCOPE_LAYER_CACHE_MAX', async () => {
    const cache = await tempDir();
    const image = `${FIXTURES}example.tar`;
    const cold = await analyze(image, cache, [], { IMGSCOPE_LAYER_CACHE_MAX: '8kB' });
    expect(cold.code).toBe(0);
    const files = await entryFiles(cache);
    const kept = files.reduce((sum, file) => sum + file.bytes, 0);
    expect(kept).toBeLessThanOrEqual(8000);
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThan(8);
    // What was evicted is read again, the rest not.
    const warm = await analyze(image, cache, [], { IMGSCOPE_LAYER_CACHE_MAX: '1GB' });
    expect(layerLog(warm.stderr).cached).toHaveLength(files.length);
    expect(layerLog(warm.stderr).read).toHaveLength(8 - files.length);
    expect(warm.stdout).toBe(cold.stdout);
  });
});

describe('a layer is never taken on a document word', () => {
  const spec: ImageSpec = {
    layers: [
      { entries: [{ type: 'file', path: '/etc/os-release', content: 'ID=test\n' }] },
      // Over 4 MiB: a worker thread reads it, and hashes it before its stored result is trusted.
      { entries: [{ type: 'file', path: '/app/data.bin', size: 5 * 1024 * 1024 }] },
    ],
  };
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  for (const layout of ['skopeo', 'docker25'] as DockerArchiveLayout[]) {
    it(`a ${layout} docker-archive whose layer was swapped still fails with the digest error, though the original's result is cached`, async () => {
      const archive = join(dir, `${layout}.tar`);
      const built = await writeDockerArchive(spec, archive, { layout });
      const cache = await tempDir();
      const cold = await analyze(archive, cache);
      expect(cold.code).toBe(0);
      expect(await entryFiles(cache)).toHaveLength(2);
      // Intact, both layers are hashed (the large one on a worker) and taken from the cache.
      const warm = await analyze(archive, cache);
      expect(layerLog(warm.stderr).cached).toHaveLength(2);
      expect(warm.stdout).toBe(cold.stdout);

      const hex = (layout === 'docker25' ? built.layerDigests[1] : built.diffIds[1])?.slice(7) ?? '';
      const member = layout === 'docker25' ? `blobs/sha256/${hex}` : `${hex}.tar`;
      // A byte of /app/data.bin's content: the tar stays well-formed, its digest does not hold.
      flipByte(archive, memberData(archive, member).offset + 512 + 100);

      const cached = await runCli(['analyze', archive, '--json'], { XDG_CACHE_HOME: cache });
      const uncached = await runCli(['analyze', archive, '--json', '--no-cache'], {
        XDG_CACHE_HOME: await tempDir(),
      });
      expect(cached.code).toBe(2);
      expect(cached.stderr).toBe(uncached.stderr);
      expect(cached.stderr).toMatch(
        layout === 'docker25'
          ? /^imgscope: error: layer 1 blob: digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}\n$/
          : /^imgscope: error: layer 1 content \(diff_id\): digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}\n$/,
      );
    });
  }

  it('reads no layer of an OCI layout again, but reads (and refuses) a blob file of the wrong size', async () => {
    const layout = join(dir, 'oci');
    const built = await writeOciLayout(
      { layers: spec.layers.map((layer) => ({ ...layer, compression: 'gzip' as const })) },
      layout,
    );
    const cache = await tempDir();
    const cold = await analyze(`oci:${layout}`, cache);
    const warm = await analyze(`oci:${layout}`, cache);
    expect(layerLog(warm.stderr)).toEqual({ read: [], cached: ['layer 0', 'layer 1'] });
    expect(warm.stdout).toBe(cold.stdout);

    await appendFile(
      join(layout, 'blobs', 'sha256', built.layerDigests[1]?.slice(7) ?? ''),
      Buffer.alloc(100),
    );
    const grown = await runCli(['analyze', `oci:${layout}`, '--json'], { XDG_CACHE_HOME: cache });
    expect(grown.code).toBe(2);
    expect(grown.stderr).toMatch(
      /^imgscope: error: layer 1 blob: more bytes than the \d+ its descriptor declares\n$/,
    );
  });
});

/** A small tmpfs, where the host lets this process mount one (root): a disk that fills up. */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a full disk while an entry is written', () => {
  it('leaves no entry and no temporary file behind, and the analysis is whole', async (context) => {
    const dir = await tempDir();
    const archive = join(dir, 'many.tar');
    // One layer of 3,000 files: its result (~170 kB) cannot fit on a 64 kB disk, the small one can.
    await writeDockerArchive(
      {
        layers: [
          { entries: [{ type: 'file', path: '/etc/os-release', content: 'ID=test\n' }] },
          {
            entries: Array.from({ length: 3000 }, (_, i) => ({
              type: 'file' as const,
              path: `/data/some-longer-directory-name/file-${i}.txt`,
              content: `${i}\n`,
            })),
          },
        ],
      },
      archive,
    );
    const cache = join(dir, 'cache');
    execFileSync('mkdir', ['-p', cache]);
    if (!mountTmpfs(cache, '64k')) context.skip();
    try {
      const run = await analyze(archive, cache);
      const fresh = await analyze(archive, await tempDir(), ['--no-cache']);
      expect(run.code).toBe(0);
      expect(withoutLayerLog(run.stderr)).toBe('');
      expect(run.stdout).toBe(fresh.stdout);
      const files = await entryFiles(cache);
      expect(files).toHaveLength(1);
      expect(await readdir(join(cache, 'imgscope', 'tmp'))).toEqual([]);
      // What was stored is whole: used without a warning; the big layer is read again.
      const again = await analyze(archive, cache);
      expect(layerLog(again.stderr)).toEqual({ read: ['layer 1'], cached: ['layer 0'] });
      expect(withoutLayerLog(again.stderr)).toBe('');
      expect(again.stdout).toBe(fresh.stdout);
    } finally {
      execFileSync('umount', [cache]);
    }
  });
});
