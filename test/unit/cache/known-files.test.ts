import { chmod, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { KnownFiles, knownFilesUsage, pruneKnownFiles } from '../../../src/cache/index.js';
import { SETTLED_MS } from '../../../src/cache/known-files.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const MTIME_S = 1_700_000_000;

/** When a run began for which the file's last change is `ms` old (its change time, in ms). */
async function runStartedAfter(path: string, ms: number): Promise<number> {
  const changed = Number((await stat(path, { bigint: true })).ctimeNs / 1_000_000n);
  return changed + ms;
}

/**
 * Waits until a write would give `path` another change time than it has now: the kernel's file
 * clock ticks coarsely (a few ms), and a write in the same tick is what SETTLED_MS guards against.
 */
async function clockTicked(path: string): Promise<void> {
  const { ctimeNs } = await stat(path, { bigint: true });
  const probe = `${path}.probe`;
  for (;;) {
    await writeFile(probe, '');
    if ((await stat(probe, { bigint: true })).ctimeNs > ctimeNs) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('the digests of local files kept between runs', () => {
  let root: string;
  let file: string;
  beforeEach(async () => {
    root = await tempDir();
    file = join(await tempDir(), 'image.tar');
    await writeFile(file, Buffer.alloc(4096, 1));
    // A whole second: a writer can put it back exactly (utimes takes no nanoseconds).
    await utimes(file, MTIME_S, MTIME_S);
  });

  /** A run that hashed `region` (of `file`) to `digest`, the file's last change SETTLED_MS + 1 ms before it. */
  async function recordedRun(regions: [number, number, string][]): Promise<number> {
    const startedMs = await runStartedAfter(file, SETTLED_MS + 1);
    const run = new KnownFiles(root, { startedMs });
    for (const [offset, length, digest] of regions)
      run.rememberDigest({ path: file, offset, length }, digest);
    await run.save();
    return startedMs;
  }

  it('knows a region an earlier run hashed, its file unchanged, and only that region', async () => {
    const startedMs = await recordedRun([
      [0, 1024, A],
      [1024, 512, B],
    ]);
    const next = new KnownFiles(root, { startedMs: startedMs + 1000 });
    expect(next.digest({ path: file, offset: 0, length: 1024 })).toBe(A);
    expect(next.digestAfterReading({ path: file, offset: 1024, length: 512 })).toBe(B);
    expect(next.digest({ path: file, offset: 0, length: 1023 })).toBeNull();
    expect(next.digest({ path: `${file}.other`, offset: 0, length: 1024 })).toBeNull();
    const records = await readdir(join(root, 'known-files'));
    expect(records).toHaveLength(1);
    expect((await stat(join(root, 'known-files', records[0] ?? ''))).mode & 0o777).toBe(0o600);
  });

  it('keeps what a later run adds to the record of the same file', async () => {
    const startedMs = await recordedRun([[0, 1024, A]]);
    const second = new KnownFiles(root, { startedMs: startedMs + 1000 });
    expect(second.digest({ path: file, offset: 0, length: 1024 })).toBe(A);
    second.rememberDigest({ path: file, offset: 1024, length: 512 }, B);
    await second.save();
    const third = new KnownFiles(root, { startedMs: startedMs + 2000 });
    expect(third.digest({ path: file, offset: 0, length: 1024 })).toBe(A);
    expect(third.digest({ path: file, offset: 1024, length: 512 })).toBe(B);
  });

  it('records nothing for a file changed less than SETTLED_MS before the run (a write in the same tick could go unseen)', async () => {
    const startedMs = await runStartedAfter(file, SETTLED_MS - 1);
    const run = new KnownFiles(root, { startedMs });
    run.rememberDigest({ path: file, offset: 0, length: 1024 }, A);
    await run.save();
    expect(await readdir(join(root, 'known-files')).catch(() => [])).toEqual([]);
    expect(
      new KnownFiles(root, { startedMs: startedMs + 5000 }).digest({ path: file, offset: 0, length: 1024 }),
    ).toBeNull();
  });

  it('forgets a file written since, even with its size and modification time put back', async () => {
    const startedMs = await recordedRun([[0, 1024, A]]);
    const before = await stat(file, { bigint: true });
    await clockTicked(file);
    await writeFile(file, Buffer.alloc(4096, 2));
    await utimes(file, MTIME_S, MTIME_S);
    const after = await stat(file, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
    const next = new KnownFiles(root, { startedMs: startedMs + 60_000 });
    expect(next.digest({ path: file, offset: 0, length: 1024 })).toBeNull();
  });

  it('answers digestAfterReading with nothing where the file changed since the run first looked at it', async () => {
    const startedMs = await recordedRun([[0, 1024, A]]);
    const next = new KnownFiles(root, { startedMs: startedMs + 60_000 });
    expect(next.digest({ path: file, offset: 0, length: 1024 })).toBe(A);
    await clockTicked(file);
    await writeFile(file, Buffer.alloc(4096, 3));
    expect(next.digestAfterReading({ path: file, offset: 0, length: 1024 })).toBeNull();
  });

  it('records nothing for a file that changed during the run', async () => {
    const startedMs = await runStartedAfter(file, SETTLED_MS + 1);
    const run = new KnownFiles(root, { startedMs });
    run.rememberDigest({ path: file, offset: 0, length: 1024 }, A);
    await clockTicked(file);
    await writeFile(file, Buffer.alloc(4096, 4));
    await run.save();
    expect(await readdir(join(root, 'known-files')).catch(() => [])).toEqual([]);
  });

  it('ignores a record that is not JSON, or that names another state of the file', async () => {
    const startedMs = await recordedRun([[0, 1024, A]]);
    const [name] = await readdir(join(root, 'known-files'));
    const path = join(root, 'known-files', name ?? '');
    const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...record, size: '4097' }));
    expect(
      new KnownFiles(root, { startedMs: startedMs + 1 }).digest({ path: file, offset: 0, length: 1024 }),
    ).toBeNull();
    await writeFile(
      path,
      JSON.stringify({ ...record, readAfterMs: Number(record['readAfterMs']) - SETTLED_MS }),
    );
    expect(
      new KnownFiles(root, { startedMs: startedMs + 1 }).digest({ path: file, offset: 0, length: 1024 }),
    ).toBeNull();
    await writeFile(path, '{"cut');
    expect(
      new KnownFiles(root, { startedMs: startedMs + 1 }).digest({ path: file, offset: 0, length: 1024 }),
    ).toBeNull();
    await writeFile(path, JSON.stringify(record));
    // Writable by others: whoever could have written it is not vouched for.
    await chmod(path, 0o620);
    expect(
      new KnownFiles(root, { startedMs: startedMs + 1 }).digest({ path: file, offset: 0, length: 1024 }),
    ).toBeNull();
    await chmod(path, 0o600);
    expect(
      new KnownFiles(root, { startedMs: startedMs + 1 }).digest({ path: file, offset: 0, length: 1024 }),
    ).toBe(A);
  });

  it("keeps where a tar's members lie with the digests, and gives back none from a record that mangles them", async () => {
    const startedMs = await runStartedAfter(file, SETTLED_MS + 1);
    const run = new KnownFiles(root, { startedMs });
    expect(run.members(file)).toBeNull();
    const members = new Map([
      ['manifest.json', { offset: 512, size: 300 }],
      ['layer.tar', { offset: 1536, size: 2048 }],
    ]);
    run.rememberMembers(file, members);
    run.rememberDigest({ path: file, offset: 1536, length: 2048 }, A);
    await run.save();
    const next = new KnownFiles(root, { startedMs: startedMs + 1000 });
    expect(next.members(file)).toEqual(members);
    expect(next.digest({ path: file, offset: 1536, length: 2048 })).toBe(A);

    const [name] = await readdir(join(root, 'known-files'));
    const path = join(root, 'known-files', name ?? '');
    const record = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    for (const members of [
      [['layer.tar', -1, 2048]],
      [['layer.tar', 1536]],
      'layer.tar',
      [[7, 1536, 2048]],
    ]) {
      await writeFile(path, JSON.stringify({ ...record, members }));
      const mangled = new KnownFiles(root, { startedMs: startedMs + 1000 });
      expect(mangled.members(file)).toBeNull();
      expect(mangled.digest({ path: file, offset: 1536, length: 2048 })).toBe(A);
    }
  });

  it('is counted by cache list and removed by cache prune (all, or those unused for long)', async () => {
    await recordedRun([[0, 1024, A]]);
    const usage = await knownFilesUsage(root);
    expect(usage.files).toBe(1);
    expect(usage.bytes).toBeGreaterThan(100);
    expect(await pruneKnownFiles(root, { olderThanMs: 60_000 })).toEqual({ files: 0, bytes: 0 });
    expect(await pruneKnownFiles(root)).toEqual(usage);
    expect(await knownFilesUsage(root)).toEqual({ files: 0, bytes: 0 });
  });
});
