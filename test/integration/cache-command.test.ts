import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobCache } from '../../src/registry/index.js';
import { formatBytes } from '../../src/render/format.js';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';
import { DIVE_FIXTURES, runCli } from '../helpers/run-cli.js';

afterAll(cleanupTempDirs);

const DAY_MS = 24 * 60 * 60 * 1000;

function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A cache filled through the cache's own write path, with chosen last-use times. */
async function filledCache(): Promise<{
  xdg: string;
  root: string;
  blobs: { digest: string; bytes: number; used: Date }[];
}> {
  const xdg = await tempDir();
  const root = join(xdg, 'imgscope');
  const cache = new BlobCache(root);
  const now = Date.now();
  const blobs = [
    { content: Buffer.alloc(1500, 1), used: new Date(Math.floor((now - 40 * DAY_MS) / 1000) * 1000) },
    { content: Buffer.alloc(250_000, 2), used: new Date(Math.floor((now - 2 * DAY_MS) / 1000) * 1000) },
  ];
  const written = [];
  for (const { content, used } of blobs) {
    const digest = digestOf(content);
    await cache.put(digest, content);
    await utimes(join(root, 'blobs', 'sha256', digest.slice(7)), used, used);
    written.push({ digest, bytes: content.length, used });
  }
  await chmod(root, 0o750);
  return { xdg, root, blobs: written };
}

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('imgscope cache list', () => {
  it('says where an empty cache would be', async () => {
    const xdg = await tempDir();
    const table = await runCli(['cache', 'list'], { XDG_CACHE_HOME: xdg });
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(`Cache: ${xdg}/imgscope (not created yet)\nThe cache is empty.\n`);
    const json = await runCli(['cache', 'list', '--json'], { XDG_CACHE_HOME: xdg });
    expect(JSON.parse(json.stdout)).toEqual({
      schemaVersion: 1,
      location: `${xdg}/imgscope`,
      mode: null,
      totalBytes: 0,
      blobsMaxBytes: 5 * 1024 ** 3,
      layerResultsMaxBytes: 2 * 1024 ** 3,
      codeCache: { files: 0, bytes: 0 },
      knownFiles: { files: 0, bytes: 0 },
      entries: [],
    });
  });

  it('lists the blobs, most recently used first, with the directory mode and the total', async () => {
    const { xdg, root, blobs } = await filledCache();
    const [old, recent] = blobs as [(typeof blobs)[0], (typeof blobs)[0]];
    const table = await runCli(['cache', 'list'], { XDG_CACHE_HOME: xdg });
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe(`Cache: ${root} (mode 0750)`);
    expect(lines[1]).toMatch(/^┌─+┬─+┬─+┬─+┐$/);
    expect(lines[2]).toMatch(/^│ Kind │ Entry +│ +Size │ Last used +│$/);
    expect(lines[3]).toMatch(new RegExp(`^│ blob │ ${recent.digest} │ +250 kB │ ${iso(recent.used)} │$`));
    expect(lines[4]).toMatch(new RegExp(`^│ blob │ ${old.digest} │ +1.5 kB │ ${iso(old.used)} │$`));
    expect(lines[5]).toMatch(/^└─+┴─+┴─+┴─+┘$/);
    expect(lines.slice(6)).toEqual([
      '2 entries, 252 kB (251500 bytes)',
      'Blobs: 2 entries, 252 kB of the 5.4 GB cap (least recently used removed past it)',
      'Layer results: 0 entries, 0 B of the 2.1 GB cap (least recently used removed past it)',
      '',
    ]);

    const json = await runCli(['cache', 'list', '--format', 'json'], { XDG_CACHE_HOME: xdg });
    expect(JSON.parse(json.stdout)).toEqual({
      schemaVersion: 1,
      location: root,
      mode: '0750',
      totalBytes: 251_500,
      blobsMaxBytes: 5 * 1024 ** 3,
      layerResultsMaxBytes: 2 * 1024 ** 3,
      codeCache: { files: 0, bytes: 0 },
      knownFiles: { files: 0, bytes: 0 },
      entries: [
        { kind: 'blob', digest: recent.digest, bytes: 250_000, lastUsed: recent.used.toISOString() },
        { kind: 'blob', digest: old.digest, bytes: 1500, lastUsed: old.used.toISOString() },
      ],
    });
  });
});

describe('imgscope cache prune', () => {
  it('prints the count and the bytes it freed; --older-than keeps what was used recently', async () => {
    const { xdg, root, blobs } = await filledCache();
    const old = await runCli(['cache', 'prune', '--older-than', '30'], { XDG_CACHE_HOME: xdg });
    expect(old.code).toBe(0);
    expect(old.stdout).toBe(
      `Removed 1 blob, 0 layer results and 0 temporary files (1.5 kB, 1500 bytes freed) from ${root}\n`,
    );
    const left = await runCli(['cache', 'list', '--json'], { XDG_CACHE_HOME: xdg });
    expect(
      (JSON.parse(left.stdout) as { entries: { digest: string }[] }).entries.map((e) => e.digest),
    ).toEqual([blobs[1]!.digest]);

    const all = await runCli(['cache', 'prune'], { XDG_CACHE_HOME: xdg });
    expect(all.stdout).toBe(
      `Removed 1 blob, 0 layer results and 0 temporary files (250 kB, 250000 bytes freed) from ${root}\n`,
    );
    const empty = await runCli(['cache', 'list'], { XDG_CACHE_HOME: xdg });
    expect(empty.stdout).toBe(`Cache: ${root} (mode 0750)\nThe cache is empty.\n`);
  });

  it("counts and removes the start's compiled code, and keeps none for its own runs", async () => {
    const { xdg, root } = await filledCache();
    const code = join(root, 'code-cache');
    await mkdir(code);
    const old = new Date(Date.now() - 40 * DAY_MS);
    await writeFile(join(code, 'analyze-old.v8'), Buffer.alloc(3000));
    await utimes(join(code, 'analyze-old.v8'), old, old);
    await writeFile(join(code, 'analyze-new.v8'), Buffer.alloc(1000));

    const table = await runCli(['cache', 'list'], { XDG_CACHE_HOME: xdg });
    expect(table.stdout.split('\n').slice(-2)).toEqual(['Compiled code of the start: 2 files, 4.0 kB', '']);
    const json = await runCli(['cache', 'list', '--json'], { XDG_CACHE_HOME: xdg });
    expect((JSON.parse(json.stdout) as { codeCache: unknown }).codeCache).toEqual({ files: 2, bytes: 4000 });

    const older = await runCli(['cache', 'prune', '--older-than', '30'], { XDG_CACHE_HOME: xdg });
    expect(older.stdout).toBe(
      `Removed 1 blob, 0 layer results, 1 compiled-code file and 0 temporary files (4.5 kB, 4500 bytes freed) from ${root}\n`,
    );
    expect(await readdir(code)).toEqual(['analyze-new.v8']);
    const all = await runCli(['cache', 'prune'], { XDG_CACHE_HOME: xdg });
    expect(all.stdout).toBe(
      `Removed 1 blob, 0 layer results, 1 compiled-code file and 0 temporary files (251 kB, 251000 bytes freed) from ${root}\n`,
    );
    // Four cache commands ran: none of them kept compiled code of its own.
    expect(await readdir(code)).toEqual([]);
  });

  it('counts and removes the records of local files analyzed before', async () => {
    const xdg = await tempDir();
    const root = join(xdg, 'imgscope');
    // The fixture was checked out long before: its analysis records its digests.
    expect(
      (await runCli(['analyze', `${DIVE_FIXTURES}test-docker-image.tar`, '--json'], { XDG_CACHE_HOME: xdg }))
        .code,
    ).toBe(0);
    const [record] = await readdir(join(root, 'known-files'));
    const bytes = (await stat(join(root, 'known-files', record ?? ''))).size;
    const table = await runCli(['cache', 'list'], { XDG_CACHE_HOME: xdg });
    expect(table.stdout).toContain(`\nLocal files analyzed before: 1 record, ${formatBytes(bytes)}\n`);
    const json = await runCli(['cache', 'list', '--json'], { XDG_CACHE_HOME: xdg });
    expect((JSON.parse(json.stdout) as { knownFiles: unknown }).knownFiles).toEqual({ files: 1, bytes });

    const recent = await runCli(['cache', 'prune', '--older-than', '1'], { XDG_CACHE_HOME: xdg });
    expect(recent.stdout).not.toContain('known-file record');
    const all = await runCli(['cache', 'prune'], { XDG_CACHE_HOME: xdg });
    expect(all.stdout).toMatch(
      /^Removed 0 blobs, 14 layer results, 1 compiled-code file, 1 known-file record and 0 temporary files /,
    );
    expect(await readdir(join(root, 'known-files'))).toEqual([]);
  });
});
