import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers/image-builder.js';
import { fillBytes } from '../helpers/fill.js';
import { rawTar, tarEntry, writeRawDockerArchive } from '../helpers/raw-tar.js';
import { runCli } from '../helpers/run-cli.js';

afterAll(cleanupTempDirs);

function firstByte(value: number): Buffer {
  const body = fillBytes('first-byte', 50_000);
  body[0] = value;
  return body;
}

/** Large bodies (the reader defers their hashes without a cache) rewritten, relinked and changed. */
const base = rawTar([
  tarEntry({ name: 'bin/', type: '5' }),
  tarEntry({ name: 'bin/tool', mode: 0o755 }, fillBytes('tool', 200_000)),
  tarEntry({ name: 'bin/same-size' }, fillBytes('same-size', 50_000)),
  tarEntry({ name: 'bin/grown' }, fillBytes('grown', 50_000)),
  tarEntry({ name: 'bin/alone' }, fillBytes('alone', 70_000)),
  tarEntry({ name: 'bin/linked' }, fillBytes('linked', 30_000)),
  tarEntry({ name: 'bin/first-byte' }, firstByte(0x41)),
]);
const rewrite = rawTar([
  // chmod: the same bytes, another mode (metadata only).
  tarEntry({ name: 'bin/tool', mode: 0o700 }, fillBytes('tool', 200_000)),
  // Other bytes of the same length, and a longer body.
  tarEntry({ name: 'bin/same-size' }, fillBytes('same-size, changed', 50_000)),
  tarEntry({ name: 'bin/grown' }, fillBytes('grown', 60_000)),
  // Only the first byte differs: a body read from a wrong offset would miss it.
  tarEntry({ name: 'bin/first-byte' }, firstByte(0x42)),
  // A hard link to a file of the layer below, and one to a file of this layer.
  tarEntry({ name: 'bin/link-below', type: '1', linkname: 'bin/linked' }),
  tarEntry({ name: 'bin/fresh' }, fillBytes('fresh', 40_000)),
  tarEntry({ name: 'bin/link-fresh', type: '1', linkname: 'bin/fresh' }),
]);
const chown = rawTar([
  tarEntry({ name: 'bin/tool', mode: 0o700, uid: 1000, gid: 1000 }, fillBytes('tool', 200_000)),
]);

describe('large bodies hashed only where compared (--no-cache)', () => {
  it('analyze and diff say what a run that hashes every body says', async () => {
    const dir = await tempDir();
    const before = await writeRawDockerArchive([{ tar: base }], {}, `${dir}/before.tar`);
    const after = await writeRawDockerArchive(
      [{ tar: base }, { tar: rewrite }, { tar: chown }],
      {},
      `${dir}/after.tar`,
    );
    for (const args of [
      ['analyze', after, '--json'],
      ['diff', before, after, '--json'],
    ]) {
      // Hashed as read and stored, then taken from the cache (whose results must hold every hash).
      const cache = { XDG_CACHE_HOME: await tempDir() };
      const hashed = await runCli(args, cache);
      const warm = await runCli(args, cache);
      const deferred = await runCli([...args, '--no-cache']);
      expect(deferred.stderr).toBe('');
      expect(deferred.code).toBe(hashed.code);
      expect(deferred.stdout).toBe(hashed.stdout);
      expect(warm.stdout).toBe(hashed.stdout);
    }
    const report = JSON.parse((await runCli(['analyze', after, '--json', '--no-cache'])).stdout) as {
      layers: { modifiedFiles: number; metadataOnlyFiles: number }[];
      findings: { id: string }[];
    };
    // What only the bodies' hashes tell: the tool's two rewrites are metadata-only, the rest not.
    expect(
      report.layers.map(({ modifiedFiles, metadataOnlyFiles }) => [modifiedFiles, metadataOnlyFiles]),
    ).toEqual([
      [0, 0],
      [4, 1],
      [1, 1],
    ]);
    expect(report.findings.map(({ id }) => id)).toEqual(
      expect.arrayContaining(['chmod-duplicate', 'chown-duplicate']),
    );
  });
});
