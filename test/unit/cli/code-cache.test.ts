import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { codeCachePath, compileWithCodeCache, storeCodeCache } from '../../../src/cli/code-cache.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

/** The script's path, part of its cache's name. */
const BUNDLE = '/usr/lib/node_modules/imgscope/dist/own-commands/analyze.cjs';
const SOURCE = '(function (n) { const square = (x) => x * x; return square(n) + 1; })';
const run = (compiled: ReturnType<typeof compileWithCodeCache>): number =>
  (compiled.script.runInThisContext() as (n: number) => number)(6);

async function cachedScript(): Promise<{ dir: string; path: string }> {
  const dir = join(await tempDir(), 'code-cache');
  return { dir, path: codeCachePath(dir, BUNDLE, Buffer.from(SOURCE), 'analyze', '') };
}

/** Stores one compiled script's cache at each of `paths` in turn; the names then in `dir`, sorted. */
async function storeEach(dir: string, paths: string[]): Promise<string[]> {
  const compiled = compileWithCodeCache(SOURCE, 'bundle.cjs', null);
  run(compiled);
  for (const path of paths) storeCodeCache(compiled.script, path, 0);
  return (await readdir(dir)).sort();
}

/** The names of `paths` in `dir`, sorted. */
const namesIn = (dir: string, paths: string[]): string[] => paths.map((p) => p.slice(dir.length + 1)).sort();

describe('V8 code cache for the own-commands bundles', () => {
  it('is stored by the first run, once more by the second, then used as it is', async () => {
    const { path } = await cachedScript();
    expect(path).toMatch(
      new RegExp(
        `/analyze-${process.version}-${process.arch}-[0-9a-f]{8}-${SOURCE.length}-[0-9a-f]{8}\\.v8$`,
      ),
    );
    const first = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    expect(first.store).toBe(0);
    expect(run(first)).toBe(37);
    storeCodeCache(first.script, path, 0);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    const second = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    expect(second.script.cachedDataRejected).toBe(false);
    expect(second.store).toBe(1);
    expect(run(second)).toBe(37);
    storeCodeCache(second.script, path, 1);
    const third = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    expect(third.script.cachedDataRejected).toBe(false);
    expect(third.store).toBeNull();
  });

  it('without a path nothing is read or stored', () => {
    const compiled = compileWithCodeCache(SOURCE, 'bundle.cjs', null);
    expect(compiled.store).toBeNull();
    expect(run(compiled)).toBe(37);
  });

  it.each([
    [
      'a flipped byte',
      (file: Buffer) => Buffer.concat([file.subarray(0, -1), Buffer.from([file.at(-1)! ^ 1])]),
    ],
    ['a torn write', (file: Buffer) => file.subarray(0, file.length - 100)],
    ['another format', (file: Buffer) => Buffer.concat([Buffer.from('XXXX'), file.subarray(4)])],
    ['an empty file', () => Buffer.alloc(0)],
  ])('a cache with %s is ignored (the script compiles from source) and stored again', async (_, spoil) => {
    const { path } = await cachedScript();
    const first = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    run(first);
    storeCodeCache(first.script, path, 0);
    await writeFile(path, spoil(await readFile(path)));
    const again = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    expect(again.store).toBe(0);
    expect(again.script.cachedDataRejected).toBeUndefined();
    expect(run(again)).toBe(37);
    storeCodeCache(again.script, path, 0);
    expect(compileWithCodeCache(SOURCE, 'bundle.cjs', path).store).toBe(1);
  });

  it.skipIf(process.getuid === undefined)('a cache others may write is not used', async () => {
    const { path } = await cachedScript();
    const first = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    run(first);
    storeCodeCache(first.script, path, 0);
    await chmod(path, 0o620);
    expect(compileWithCodeCache(SOURCE, 'bundle.cjs', path).store).toBe(0);
  });

  it("storing replaces the caches of the key's other builds and keeps the other keys' and other paths'", async () => {
    const { dir, path } = await cachedScript();
    const older = codeCachePath(dir, BUNDLE, Buffer.from(`${SOURCE} `), 'analyze', '');
    const otherKey = codeCachePath(dir, BUNDLE, Buffer.from(SOURCE), 'cache-list', '');
    const otherCheckout = codeCachePath(
      dir,
      `/src/imgscope${BUNDLE}`,
      Buffer.from(`${SOURCE}  `),
      'analyze',
      '',
    );
    expect(await storeEach(dir, [older, otherKey, otherCheckout, path])).toEqual(
      namesIn(dir, [path, otherKey, otherCheckout]),
    );
  });

  it("each set of Node's options keeps its own cache, replaced only by its own later builds", async () => {
    const { dir, path } = await cachedScript();
    const flagged = codeCachePath(dir, BUNDLE, Buffer.from(SOURCE), 'analyze', '--max-old-space-size=1000');
    const flaggedOlder = codeCachePath(
      dir,
      BUNDLE,
      Buffer.from(`${SOURCE} `),
      'analyze',
      '--max-old-space-size=1000',
    );
    const otherFlags = codeCachePath(dir, BUNDLE, Buffer.from(SOURCE), 'analyze', '--stack-size=990');
    expect(flagged).toMatch(
      new RegExp(
        `/analyze-${process.version}-${process.arch}-[0-9a-f]{8}-o[0-9a-f]{8}-${SOURCE.length}-[0-9a-f]{8}\\.v8$`,
      ),
    );
    expect(new Set([path, flagged, otherFlags]).size).toBe(3);
    expect(await storeEach(dir, [flaggedOlder, otherFlags, path, flagged])).toEqual(
      namesIn(dir, [path, flagged, otherFlags]),
    );
  });

  it('is not stored where the cache directory itself does not exist yet', async () => {
    const path = codeCachePath(
      join(await tempDir(), 'imgscope', 'code-cache'),
      BUNDLE,
      Buffer.from(SOURCE),
      'analyze',
      '',
    );
    const compiled = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    run(compiled);
    // Nor is V8 asked for data that could not be kept (about 10 ms at the end of a run).
    const createCachedData = vi.spyOn(compiled.script, 'createCachedData');
    storeCodeCache(compiled.script, path, 0);
    expect(createCachedData).not.toHaveBeenCalled();
    expect(compileWithCodeCache(SOURCE, 'bundle.cjs', path).store).toBe(0);
    await expect(stat(join(path, '..', '..'))).rejects.toThrow('ENOENT');
  });

  it('a cache that cannot be stored (no directory can be made there) is no failure', async () => {
    const file = join(await tempDir(), 'a-file');
    await writeFile(file, '');
    const path = codeCachePath(join(file, 'code-cache'), BUNDLE, Buffer.from(SOURCE), 'analyze', '');
    const compiled = compileWithCodeCache(SOURCE, 'bundle.cjs', path);
    run(compiled);
    expect(() => storeCodeCache(compiled.script, path, 0)).not.toThrow();
    expect(compileWithCodeCache(SOURCE, 'bundle.cjs', path).store).toBe(0);
  });
});
