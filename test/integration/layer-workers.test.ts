import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanupTempDirs, tempDir } from '../helpers/image-builder.js';
import { fillBytes } from '../helpers/fill.js';
import { rawTar, tarEntry, writeRawDockerArchive } from '../helpers/raw-tar.js';
import { runCli } from '../helpers/run-cli.js';

afterAll(cleanupTempDirs);

const MiB = 1024 * 1024;

/**
 * Layers above 4 MiB go to worker threads (bundled into dist/ at build); IMGSCOPE_THREADS=0
 * reads every layer on the main thread. Both must give the same report, byte for byte.
 */
describe('layers read on worker threads', () => {
  it('report exactly what the main thread reports, and fail the same way', async () => {
    const big = (seed: string): Buffer[] => [
      tarEntry({ name: `${seed}/`, type: '5', mode: 0o755 }),
      tarEntry({ name: `${seed}/blob` }, fillBytes(seed, 5 * MiB)),
      tarEntry({ name: `${seed}/copy`, type: '1', linkname: `${seed}/blob` }),
      tarEntry(
        { name: 'etc/passwd' },
        Buffer.from(`root:x:0:0::/root:/bin/sh\n${seed}:x:1000:1000::/:/bin/sh\n`),
      ),
    ];
    const archive = await writeRawDockerArchive([
      { tar: rawTar(big('one')) },
      { tar: rawTar(big('two')), compression: 'gzip' },
      { tar: rawTar([tarEntry({ name: 'one/blob' }, Buffer.from('small'))]) },
      { tar: rawTar(big('three')), compression: 'zstd' },
    ]);
    const threaded = await runCli(['analyze', archive, '--format', 'json']);
    const single = await runCli(['analyze', archive, '--format', 'json'], { IMGSCOPE_THREADS: '0' });
    expect(threaded.stderr).toBe('');
    expect(threaded.code).toBe(0);
    expect(threaded.stdout).toBe(single.stdout);
    const report = JSON.parse(threaded.stdout) as { layers: { fileCount: number }[] };
    expect(report.layers.map((layer) => layer.fileCount)).toEqual([3, 3, 1, 3]);

    // A command bundled one folder deeper (dist/commands/audit/index.js) finds the same worker.
    const out = join(await tempDir(), 'audit');
    const audited = await runCli(['audit', archive, '--out', out, '--format', 'json'], {
      IMGSCOPE_THREADS: '2',
    });
    expect(audited.stderr).not.toMatch(/error/);
    expect(audited.code).toBe(0);
    const [record] = (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(record ?? '{}')).toMatchObject({ status: 'ok' });

    const wrong = await writeRawDockerArchive([{ tar: rawTar(big('one')) }], {
      diffIds: [`sha256:${'0'.repeat(64)}`],
    });
    const failed = await runCli(['analyze', wrong, '--format', 'json']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(
      /^imgscope: error: layer 0 content \(diff_id\): digest mismatch: expected sha256:0{64}, got sha256:[0-9a-f]{64}\n$/,
    );
  });

  it("keep the reader's compiled code in the code cache beside the commands', and report the same with it", async () => {
    const archive = await writeRawDockerArchive([
      { tar: rawTar([tarEntry({ name: 'one/blob' }, fillBytes('one', 5 * MiB))]) },
      { tar: rawTar([tarEntry({ name: 'two/blob' }, fillBytes('two', 5 * MiB))]) },
    ]);
    const cache = await tempDir();
    const codeCache = join(cache, 'imgscope', 'code-cache');
    const workerCaches = async (): Promise<string[]> =>
      (await readdir(codeCache)).filter((name) => name.startsWith('layer-worker-'));
    // The first run makes the cache directory (it stores the layer results); the worker's first
    // layer stores its code, the next run that reads a layer on a worker stores it once more.
    const runs = [];
    for (const flags of [[], ['--no-cache'], ['--no-cache']]) {
      runs.push(await runCli(['analyze', archive, '--format', 'json', ...flags], { XDG_CACHE_HOME: cache }));
      const [file, ...others] = await workerCaches();
      expect(others).toEqual([]);
      expect(file).toMatch(
        new RegExp(`^layer-worker-${process.version}-${process.arch}-[0-9a-f]{8}-\\d+-[0-9a-f]{8}\\.v8$`),
      );
      const path = join(codeCache, file!);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await readFile(path)).subarray(0, 4).toString()).toBe('ISCC');
    }
    expect(runs.map((run) => [run.code, run.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect(runs[1]?.stdout).toBe(runs[0]?.stdout);
    expect(runs[2]?.stdout).toBe(runs[0]?.stdout);
  });
});
