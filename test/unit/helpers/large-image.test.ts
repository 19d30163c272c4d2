import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeLargeImage } from '../../../bench/make-large-image.js';
import { cleanupTempDirs, tempDir } from '../../helpers/image-builder.js';

afterAll(cleanupTempDirs);

/** `tar -tv` lines of each layer of the OCI layout, decompressed. */
async function layerListings(layout: string): Promise<string[][]> {
  const blob = (d: string) => join(layout, 'blobs', 'sha256', d.slice(7));
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(await readFile(blob(index.manifests[0].digest), 'utf8'));
  return manifest.layers.map((l: { digest: string; mediaType: string }) => {
    expect(l.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    return execFileSync('sh', ['-c', `gzip -dc '${blob(l.digest)}' | tar -tvf -`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
      .trim()
      .split('\n');
  });
}

const name = (line: string) => line.split(/\s+/).slice(5).join(' ');

describe('benchmark image generator (scaled down)', () => {
  it('writes both forms with overwrites, whiteouts, a directory whiteout and an opaque dir; reuses them', async () => {
    const dir = await tempDir();
    const opts = { totalBytes: 4 * 1024 * 1024, files: 3000 };
    const first = await makeLargeImage(dir, opts);
    expect(first.reused).toBe(false);
    expect(first.layers).toBe(4);
    expect(first.layerBytes).toBeGreaterThan(opts.totalBytes);
    // gzip keeps the random half: the layout is neither empty nor as large as the tars.
    expect(first.gzipBytes).toBeGreaterThan(opts.totalBytes / 3);
    expect(first.gzipBytes).toBeLessThan(first.layerBytes);

    const layers = await layerListings(first.ociLayout);
    const files = layers.map((l) =>
      l.filter((e) => e.startsWith('-') && !name(e).includes('.wh.')).map(name),
    );
    expect(files.flat()).toHaveLength(opts.files);
    const [l0, l1, l2, l3] = files.map((f) => new Set(f)) as [
      Set<string>,
      Set<string>,
      Set<string>,
      Set<string>,
    ];
    expect([...l1].filter((p) => l0.has(p)).length).toBeGreaterThan(50);
    expect([...l2].filter((p) => l1.has(p)).length).toBeGreaterThan(20);
    expect([...l3].filter((p) => l2.has(p)).length).toBeGreaterThan(20);

    const whiteouts = layers.flatMap((l) => l.map(name).filter((n) => n.includes('.wh.')));
    expect(whiteouts).toContain('usr/share/base/d012/.wh..wh..opq');
    const dirWhiteout = whiteouts.find((w) => /^opt\/deps\/\.wh\.m\d+$/.test(w)) ?? '';
    const removedDir = dirWhiteout.replace('.wh.', '');
    expect([...l1].filter((p) => p.startsWith(`${removedDir}/`)).length).toBe(100);
    const fileWhiteouts = whiteouts.filter((w) => /\/\.wh\.f\d+$/.test(w)).map((w) => w.replace('.wh.', ''));
    expect(fileWhiteouts.length).toBeGreaterThan(100);
    for (const p of fileWhiteouts) expect(l0.has(p) || l2.has(p)).toBe(true);

    // The docker-archive holds the same layers, uncompressed.
    const manifest = JSON.parse(
      execFileSync('tar', ['-xOf', first.dockerArchive, 'manifest.json'], { encoding: 'utf8' }),
    );
    expect(manifest[0].Layers).toHaveLength(4);

    const again = await makeLargeImage(dir, opts);
    expect(again).toEqual({ ...first, reused: true });
    const other = await makeLargeImage(dir, { ...opts, files: 2500 });
    expect(other.reused).toBe(false);
    expect(other.diffIds).not.toEqual(first.diffIds);
  });
});
