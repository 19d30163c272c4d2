import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIVE_FIXTURES, runCli } from '../helpers/run-cli.js';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';

afterAll(cleanupTempDirs);

const IMAGE = `${DIVE_FIXTURES}test-docker-image.tar`;

/**
 * Runs `analyze IMAGE --json` with its caches in `cache`: the layer-result cache makes
 * `cache`/imgscope, in which the code cache is kept.
 */
const analyze = (cache: string) => runCli(['analyze', IMAGE, '--json'], { XDG_CACHE_HOME: cache });

async function codeCacheFiles(cache: string): Promise<string[]> {
  return readdir(join(cache, 'imgscope', 'code-cache')).catch(() => []);
}

describe('own commands start from their bundles with V8 code cache (dist/own-commands/ID.cjs)', () => {
  it('the first run stores the code cache and the next runs report byte for byte the same', async () => {
    const cache = await tempDir();
    const first = await analyze(cache);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    const [file, ...others] = await codeCacheFiles(cache);
    expect(others).toEqual([]);
    expect(file).toMatch(
      new RegExp(
        `^analyze-[0-9a-f]{8}-${process.version}-${process.arch}-[0-9a-f]{8}-\\d+-[0-9a-f]{8}\\.v8$`,
      ),
    );
    const path = join(cache, 'imgscope', 'code-cache', file!);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readFile(path)).subarray(0, 4).toString()).toBe('ISCC');
    for (let run = 0; run < 2; run++) expect(await analyze(cache)).toEqual(first);
  });

  it('a failed run keeps no compiled code: the first run that does its work stores it', async () => {
    const cache = await tempDir();
    // The cache directory made by another shape of run (--json), as a user's earlier runs make it.
    expect((await analyze(cache)).code).toBe(0);
    const table = (image: string) => runCli(['analyze', image], { XDG_CACHE_HOME: cache });
    const tableCache = async (): Promise<string[]> =>
      (await codeCacheFiles(cache)).filter((name) => name.startsWith(`analyze-${process.version}-`));
    for (let run = 0; run < 2; run++) {
      const failed = await table(join(cache, 'missing.tar'));
      expect(failed.code).toBe(2);
      expect(await tableCache()).toEqual([]);
    }
    // Generation 0, then 1 from the run that uses it (the header's second word).
    for (const generation of [0, 1]) {
      expect((await table(IMAGE)).code).toBe(0);
      const [file] = await tableCache();
      const header = await readFile(join(cache, 'imgscope', 'code-cache', file!));
      expect(header.readUInt32BE(4)).toBe(generation);
    }
  });

  it('a corrupt code cache is ignored and stored again', async () => {
    const cache = await tempDir();
    const first = await analyze(cache);
    const [file] = await codeCacheFiles(cache);
    const path = join(cache, 'imgscope', 'code-cache', file!);
    await writeFile(path, 'ISCC not what V8 wrote');
    expect(await analyze(cache)).toEqual(first);
    expect((await readFile(path)).length).toBeGreaterThan(100_000);
    expect(await analyze(cache)).toEqual(first);
  });

  it('a command that stores no data makes no cache directory for its code cache', async () => {
    const cache = await tempDir();
    const list = await runCli(['cache', 'list'], { XDG_CACHE_HOME: cache });
    expect(list.code).toBe(0);
    expect(await readdir(cache)).toEqual([]);
  });

  it('where no code cache can be stored the run is the same, with nothing on stderr', async () => {
    const cache = join(await tempDir(), 'a-file');
    await writeFile(cache, '');
    const result = await analyze(cache);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe((await analyze(await tempDir())).stdout);
  });

  it("runs under other V8 flags keep a cache of their own instead of rewriting each other's", async () => {
    const cache = await tempDir();
    const flagged = (): ReturnType<typeof runCli> =>
      runCli(['analyze', IMAGE, '--json'], {
        XDG_CACHE_HOME: cache,
        NODE_OPTIONS: '--max-old-space-size=1000',
      });
    const first = await analyze(cache);
    // Each stores its cache twice (see code-cache.ts), then keeps it.
    for (let run = 0; run < 2; run++) expect([await flagged(), await analyze(cache)]).toEqual([first, first]);
    const files = await codeCacheFiles(cache);
    expect(files).toHaveLength(2);
    const written = async (): Promise<string[]> =>
      Promise.all(
        files.map(async (file) => {
          const info = await stat(join(cache, 'imgscope', 'code-cache', file));
          return `${info.ino} ${info.mtimeMs}`;
        }),
      );
    const kept = await written();
    expect([await flagged(), await analyze(cache)]).toEqual([first, first]);
    expect(await written()).toEqual(kept);
  });

  it('each command, and each set of options, keeps its own cache', async () => {
    const cache = await tempDir();
    await analyze(cache);
    const table = await runCli(['analyze', IMAGE], { XDG_CACHE_HOME: cache });
    const rules = await runCli(['rules'], { XDG_CACHE_HOME: cache });
    expect([table.code, rules.code]).toEqual([0, 0]);
    const shapes = (await codeCacheFiles(cache)).map((name) => name.split(`-${process.version}-`)[0]);
    expect(shapes.sort()).toEqual(['analyze', expect.stringMatching(/^analyze-[0-9a-f]{8}$/), 'rules']);
  });
});
