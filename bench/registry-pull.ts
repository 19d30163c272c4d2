/**
 * Registry pull benchmark (issue 3): the large gzip image of bench/make-large-image.ts in a local
 * docker-registry, pulled by `imgscope analyze` (download + decompress + parse, --no-cache)
 * and by `skopeo copy docker://... dir:...` (download only). Prints wall time, peak RSS and
 * throughput of each, median of RUNS runs. Target: analyze <= 1.2x skopeo, RSS < 200 MB.
 *
 *   npm run build && node --import tsx bench/registry-pull.ts [RUNS]
 *
 * BASELINE=OTHER/bin/run.js (a built checkout of another commit) also times that imgscope's
 * --no-cache pull in every run, right after this one's, and prints this / baseline.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { makeTempDir, skopeoPush, startRegistry } from '../test/helpers/registry-server.js';
import { makeLargeImage } from './make-large-image.js';
import { median } from './stats.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.argv[2] ?? 3);
const BASELINE = process.env.BASELINE;

interface Measure {
  seconds: number;
  /** User + system CPU seconds: steadier than wall time on a loaded machine. */
  cpuSeconds: number;
  rssMb: number;
}

async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measure> {
  const { stderr } = await run('/usr/bin/time', ['-f', 'BENCH %e %M %U %S', cmd, ...args], {
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (line === undefined) throw new Error(`no timing from ${cmd}: ${stderr}`);
  const [, seconds, kb, user, system] = line.split(' ');
  return { seconds: Number(seconds), cpuSeconds: Number(user) + Number(system), rssMb: Number(kb) / 1024 };
}

// The project's shared benchmark image (bench/make-large-image.ts), gzip OCI layout; built once.
const large = await makeLargeImage(join(ROOT, '.bench'));
const LAYOUT = large.ociLayout;
const layerBytes = large.gzipBytes;
const registry = await startRegistry();
const work = await makeTempDir('bench');
try {
  const ref = `${registry.host}/bench/large:1`;
  await skopeoPush(`oci:${LAYOUT}:large`, ref);
  const skopeo: Measure[] = [];
  const imgscope: Measure[] = [];
  const warm: Measure[] = [];
  const baseline: Measure[] = [];
  const cacheEnv = { ...process.env, XDG_CACHE_HOME: join(work, 'warm-cache') };
  const analyzeArgs = [join(ROOT, 'bin', 'run.js'), 'analyze', ref, '--json'];
  await timed(process.execPath, analyzeArgs, cacheEnv); // fills the cache
  for (let i = 0; i < RUNS; i++) {
    const dir = join(work, `dir${i}`);
    skopeo.push(
      await timed('skopeo', [
        'copy',
        '--quiet',
        '--insecure-policy',
        '--src-tls-verify=false',
        `docker://${ref}`,
        `dir:${dir}`,
      ]),
    );
    await rm(dir, { recursive: true, force: true });
    const cold = (bin: string, cache: string): Promise<Measure> =>
      timed(process.execPath, [bin, 'analyze', ref, '--json', '--no-cache'], {
        ...process.env,
        XDG_CACHE_HOME: join(work, cache),
      });
    // The baseline goes first in every other run, so neither side always meets a warmer machine.
    if (BASELINE !== undefined && i % 2 === 1) baseline.push(await cold(BASELINE, 'baseline-cache'));
    imgscope.push(await cold(join(ROOT, 'bin', 'run.js'), 'cache'));
    if (BASELINE !== undefined && i % 2 === 0) baseline.push(await cold(BASELINE, 'baseline-cache'));
    warm.push(await timed(process.execPath, analyzeArgs, cacheEnv));
  }
  const mb = layerBytes / 1e6;
  const row = (name: string, m: Measure[]): string => {
    const s = median(m.map((x) => x.seconds));
    const rss = Math.max(...m.map((x) => x.rssMb));
    const seconds = m.map((x) => x.seconds);
    const spread = `${Math.min(...seconds).toFixed(2)}-${Math.max(...seconds).toFixed(2)} s`;
    const cpu = median(m.map((x) => x.cpuSeconds));
    return `${name.padEnd(44)} ${s.toFixed(2).padStart(7)} s  ${cpu.toFixed(2).padStart(7)} s  ${rss.toFixed(0).padStart(5)} MB  ${(mb / s).toFixed(0).padStart(5)} MB/s  (wall ${spread})`;
  };
  console.log(
    `image: ${large.layers} layers, ${large.files} files, ${(large.layerBytes / 1e6).toFixed(0)} MB of layer tar, ` +
      `${mb.toFixed(0)} MB gzip in the registry; median of ${RUNS} runs (min-max), peak RSS is the max`,
  );
  console.log(
    `${''.padEnd(44)} ${'wall'.padStart(9)}  ${'cpu'.padStart(9)}  ${'RSS'.padStart(8)}  ${'rate'.padStart(10)}`,
  );
  console.log(row('skopeo copy docker://... dir:... (download)', skopeo));
  console.log(row('imgscope analyze --no-cache', imgscope));
  console.log(row('imgscope analyze, blobs in the cache', warm));
  if (BASELINE !== undefined) {
    console.log(row('baseline imgscope analyze --no-cache', baseline));
    const versus = median(imgscope.map((x) => x.seconds)) / median(baseline.map((x) => x.seconds));
    const cpu = median(imgscope.map((x) => x.cpuSeconds)) / median(baseline.map((x) => x.cpuSeconds));
    console.log(
      `analyze --no-cache / baseline: wall ${versus.toFixed(2)}x, cpu ${cpu.toFixed(2)}x (${BASELINE})`,
    );
  }
  const ratio = median(imgscope.map((x) => x.seconds)) / median(skopeo.map((x) => x.seconds));
  console.log(
    `analyze / skopeo wall time: ${ratio.toFixed(2)}x (target <= 1.2x); imgscope peak RSS target < 200 MB`,
  );
} finally {
  await registry.stop();
  await rm(work, { recursive: true, force: true });
}
