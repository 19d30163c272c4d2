/**
 * Fleet audit benchmark (issue 16): N images in a local docker-registry, all on the same
 * two-layer base (about 8 MB in 800 files) with a small layer of their own. Prints
 *  - one `imgscope audit` of 20 images against 20 separate `imgscope analyze --no-cache` runs
 *    (goal: <= 0.3x the time; today the gain is the in-run layer memo, the on-disk layer cache
 *    will add the rest),
 *  - the audit's peak RSS for 10, 20 and 40 images (goal: flat in the number of images).
 * Wall times on a shared machine are noisy: the medians of RUNS alternating runs are printed.
 *
 *   npm run build && node --import tsx bench/audit.ts [RUNS]
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { type TestImage, noise } from '../test/helpers/registry-images.js';
import { startRegistryFixture } from '../test/helpers/registry-fixture.js';
import { median } from './stats.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../bin/run.js', import.meta.url));
const RUNS = Number(process.argv[2] ?? 3);
const COUNTS = [10, 20, 40];

interface Measure {
  seconds: number;
  rssMb: number;
}

async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<Measure> {
  const { stderr } = await run('/usr/bin/time', ['-f', 'BENCH %e %M', process.execPath, CLI, ...args], {
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (line === undefined) throw new Error(`no timing: ${stderr}`);
  const [, seconds, kb] = line.split(' ');
  return { seconds: Number(seconds), rssMb: Number(kb) / 1024 };
}

const base: TestImage['layers'] = [
  {
    files: Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`usr/lib/base/f${i}`, noise(10_000, i)]),
    ),
  },
  {
    files: Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`usr/share/base/g${i}`, noise(10_000, 1000 + i)]),
    ),
  },
];

const fixture = await startRegistryFixture({ name: 'bench-audit' });
try {
  const refs: string[] = [];
  const max = Math.max(...COUNTS);
  for (let n = 0; n < max; n++) {
    const repoTag = `bench/app-${n % 10}:v${Math.floor(n / 10)}`;
    await fixture.pushImage(
      `img-${n}`,
      { layers: [...base, { files: { [`app/bin-${n}`]: noise(50_000, 5000 + n) } }] },
      repoTag,
    );
    refs.push(`${fixture.registry.host}/${repoTag}`);
  }
  const lists: Record<number, string> = {};
  for (const count of COUNTS) {
    lists[count] = join(fixture.work, `images-${count}.txt`);
    await writeFile(lists[count], refs.slice(0, count).join('\n') + '\n');
  }
  const env = (name: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: fixture.work,
    XDG_CACHE_HOME: join(fixture.work, `cache-${name}`),
    NO_COLOR: '1',
  });

  // Calibration: what 20 start-ups of the CLI alone cost on this machine now.
  let startups = 0;
  for (let i = 0; i < 20; i++) startups += (await timed(['version'], env('v'))).seconds;
  const auditTimes: number[] = [];
  const analyzeTimes: number[] = [];
  const rss: Record<number, number[]> = {};
  for (let r = 0; r < RUNS; r++) {
    // A fresh results dir and an empty cache every time: the audit reads everything once.
    const out = join(fixture.work, `out-${r}`);
    auditTimes.push(
      (await timed(['audit', '-f', lists[20]!, '--out', out, '--format', 'json'], env(`a${r}`))).seconds,
    );
    let separate = 0;
    for (const ref of refs.slice(0, 20))
      separate += (await timed(['analyze', ref, '--no-cache', '--json'], env(`s${r}`))).seconds;
    analyzeTimes.push(separate);
    for (const count of COUNTS) {
      const m = await timed(
        ['audit', '-f', lists[count]!, '--out', join(fixture.work, `rss-${r}-${count}`), '--json'],
        env(`r${r}${count}`),
      );
      (rss[count] ??= []).push(m.rssMb);
    }
    await rm(out, { recursive: true, force: true });
  }
  const audit = median(auditTimes);
  const separate = median(analyzeTimes);
  console.log(`images: 20 on a shared 2-layer base (800 files, 8.0 MB) + 50 kB each; median of ${RUNS} runs`);
  console.log(`imgscope audit (20 images, one run)        ${audit.toFixed(2).padStart(6)} s`);
  console.log(`20 x imgscope analyze --no-cache            ${separate.toFixed(2).padStart(6)} s`);
  console.log(`(of which 20 CLI start-ups, imgscope version)  ${startups.toFixed(2).padStart(6)} s`);
  console.log(
    `ratio audit / separate                      ${(audit / separate).toFixed(2).padStart(6)}x  (goal <= 0.30x)`,
  );
  for (const count of COUNTS) {
    console.log(
      `audit peak RSS, ${String(count).padStart(2)} images                   ${median(rss[count]!).toFixed(0).padStart(6)} MB`,
    );
  }
} finally {
  await fixture.stop();
}
