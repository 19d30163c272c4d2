/**
 * Peak memory of `imgscope analyze` on one layer of 1,000,000 empty files (issue 7: must stay
 * under 400 MB), or of as many 16-byte files each with its own content (KIND small: every file
 * has a content hash of its own), or of one file and as many hard links to it (KIND links), or of as many whiteouts of nothing
 * (KIND whiteouts). Writes a gzip OCI layout (1000 directories of 1000 files) and
 * runs the built CLI under GNU time RUNS times with Node's default heap sizing (no flags), each
 * time with an empty layer-result cache (the first analysis reads the layer and stores its result),
 * then again (the result read back from that cache), then with --no-cache (read, nothing stored).
 * Run: npm run build && node --import tsx bench/million-files.ts [COUNT] [WORKDIR] [RUNS=3] [KIND=empty|small|links|whiteouts]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ManyFilesKind, writeManyFilesLayout } from '../test/helpers/many-files.js';

const count = Number(process.argv[2] ?? 1_000_000);
const kind = (process.argv[5] ?? 'empty') as ManyFilesKind;
const dir = resolve(process.argv[3] || `.bench/${kind === 'empty' ? '' : `${kind}-`}files-${count}`);
if (!existsSync(`${dir}/index.json`)) {
  const started = Date.now();
  const { tarBytes, blobBytes } = await writeManyFilesLayout(dir, count, kind);
  console.log(
    `wrote ${dir}: ${count} files, ${(tarBytes / 1e6).toFixed(0)} MB of tar, ${(blobBytes / 1e6).toFixed(1)} MB gzip, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
const runs = Number(process.argv[4] ?? 3);

function run(label: string, cache: string, options: string[] = []): void {
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %M', process.execPath, resolve('bin/run.js'), 'analyze', `oci:${dir}`, '--json', ...options],
    { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, XDG_CACHE_HOME: cache } },
  );
  if (result.status !== 0) throw new Error(`analyze (${label}) failed (${result.status}): ${result.stderr}`);
  const [seconds, kb] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  const report = JSON.parse(result.stdout) as { layers: { fileCount: number }[] };
  console.log(
    `analyze, ${label}: ${report.layers[0]?.fileCount} files in ${seconds} s, peak RSS ${((kb ?? NaN) / 1024).toFixed(0)} MiB = ${(((kb ?? NaN) * 1024) / 1e6).toFixed(0)} MB (target < 400 MB)`,
  );
}

for (let i = 1; i <= runs; i++) {
  const cache = mkdtempSync(join(tmpdir(), 'million-files-cache-'));
  try {
    run(`run ${i} of ${runs}, read and stored`, cache);
    run(`run ${i} of ${runs}, from the layer-result cache`, cache);
    run(`run ${i} of ${runs}, --no-cache`, cache, ['--no-cache']);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
