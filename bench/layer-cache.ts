/**
 * Layer-result cache benchmark (issue 16): `imgscope analyze --json` of the realistic Debian
 * nginx image (bench/make-debian-image.sh) cold (`--no-cache`: every layer read) and warm (every
 * layer result cached), as a docker-archive (warm still hashes each layer), a gzip OCI layout
 * and from a local docker-registry (warm: no layer downloaded or read). Beside each, the anchor
 * `analyze --no-layers` (manifest and config only: the floor a warm run can approach). Runs
 * alternate cold and warm; medians of RUNS, wall and CPU seconds, peak RSS. Every warm report
 * is checked byte-identical to the cold one.
 *
 *   npm run build && bash bench/make-debian-image.sh && node --import tsx bench/layer-cache.ts [RUNS]
 *
 * DEBIAN_DIR=PATH uses an image built elsewhere (default .bench/debian).
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { makeTempDir, skopeoPush, startRegistry } from '../test/helpers/registry-server.js';
import { median } from './stats.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'run.js');
const RUNS = Number(process.argv[2] ?? 3);
const DEBIAN = process.env.DEBIAN_DIR ?? join(ROOT, '.bench', 'debian');

interface Measure {
  seconds: number;
  cpuSeconds: number;
  rssMb: number;
  stdout: string;
}

async function analyze(image: string, cache: string, flags: string[]): Promise<Measure> {
  const { stdout, stderr } = await run(
    '/usr/bin/time',
    ['-f', 'BENCH %e %M %U %S', process.execPath, CLI, 'analyze', image, '--json', ...flags],
    { env: { ...process.env, XDG_CACHE_HOME: cache }, maxBuffer: 512 * 1024 * 1024 },
  );
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (line === undefined) throw new Error(`no timing: ${stderr}`);
  const [, seconds, kb, user, system] = line.split(' ');
  return {
    seconds: Number(seconds),
    cpuSeconds: Number(user) + Number(system),
    rssMb: Number(kb) / 1024,
    stdout,
  };
}

const fmt = (m: Measure[]): string =>
  `${median(m.map((x) => x.seconds)).toFixed(2)} s wall, ${median(m.map((x) => x.cpuSeconds)).toFixed(2)} s CPU, ${median(m.map((x) => x.rssMb)).toFixed(0)} MB RSS`;

async function row(name: string, image: string): Promise<void> {
  const cache = await makeTempDir('bench-layer-cache');
  try {
    // Fill the cache once (not timed), then alternate.
    const first = await analyze(image, cache, []);
    const cold: Measure[] = [];
    const warm: Measure[] = [];
    const anchor: Measure[] = [];
    for (let i = 0; i < RUNS; i++) {
      cold.push(await analyze(image, cache, ['--no-cache']));
      warm.push(await analyze(image, cache, []));
      anchor.push(await analyze(image, cache, ['--no-layers']));
    }
    const identical = [...cold, ...warm].every((m) => m.stdout === first.stdout);
    const ratio = median(warm.map((m) => m.seconds)) / median(cold.map((m) => m.seconds));
    const cpu = median(warm.map((m) => m.cpuSeconds)) / median(cold.map((m) => m.cpuSeconds));
    console.log(`${name}`);
    console.log(`  cold (--no-cache)      ${fmt(cold)}`);
    console.log(`  warm (layers cached)   ${fmt(warm)}`);
    console.log(`  anchor (--no-layers)   ${fmt(anchor)}`);
    console.log(
      `  warm / cold: ${ratio.toFixed(2)}x wall, ${cpu.toFixed(2)}x CPU; JSON identical: ${identical ? 'yes' : 'NO'}`,
    );
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

const load = (await run('cat', ['/proc/loadavg'])).stdout.trim();
console.log(`layer-result cache, Debian nginx image, median of ${RUNS}; load average ${load}`);
await row('docker-archive', join(DEBIAN, 'docker-archive.tar'));
await row('OCI layout (gzip)', `oci:${join(DEBIAN, 'oci-gzip')}`);
const registry = await startRegistry();
try {
  const ref = `${registry.host}/bench/debian:1`;
  await skopeoPush(`oci:${join(DEBIAN, 'oci-gzip')}`, ref);
  await row('registry (local docker-registry, gzip)', ref);
} finally {
  await registry.stop();
}
console.log(`load average after: ${(await run('cat', ['/proc/loadavg'])).stdout.trim()}`);
