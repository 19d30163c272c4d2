/**
 * Peak memory of `imgscope analyze` on one layer of 1,000,000 empty files (issue 7: must stay
 * under 400 MB). Writes a gzip OCI layout (1000 directories of 1000 files) and runs the built
 * CLI under GNU time, with Node's default heap sizing and with the old space capped (V8 grows
 * the heap up to 4x the live set between full collections when the mutator runs fast).
 * Run: npm run build && node --import tsx bench/million-files.ts [COUNT] [WORKDIR] [HEAP_CAP_MB=300]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeManyFilesLayout } from '../test/helpers/many-files.js';

const count = Number(process.argv[2] ?? 1_000_000);
const dir = resolve(process.argv[3] ?? `.bench/files-${count}`);
if (!existsSync(`${dir}/index.json`)) {
  const started = Date.now();
  const { tarBytes, blobBytes } = await writeManyFilesLayout(dir, count);
  console.log(
    `wrote ${dir}: ${count} files, ${(tarBytes / 1e6).toFixed(0)} MB of tar, ${(blobBytes / 1e6).toFixed(1)} MB gzip, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
const cap = Number(process.argv[4] ?? 300);

function run(label: string, nodeFlags: string[]): void {
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %M', process.execPath, ...nodeFlags, resolve('bin/run.js'), 'analyze', `oci:${dir}`, '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  if (result.status !== 0) throw new Error(`analyze (${label}) failed (${result.status}): ${result.stderr}`);
  const [seconds, kb] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  const report = JSON.parse(result.stdout) as { layers: { fileCount: number }[] };
  console.log(
    `analyze, ${label}: ${report.layers[0]?.fileCount} files in ${seconds} s, peak RSS ${((kb ?? NaN) / 1024).toFixed(0)} MiB (target < 400 MB)`,
  );
}

run('default heap sizing', []);
run(`--max-old-space-size=${cap}`, [`--max-old-space-size=${cap}`]);
