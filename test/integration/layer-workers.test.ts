import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
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
});
