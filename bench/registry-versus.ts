/**
 * Issue 13's registry row against another build: the Debian gzip image (.bench/debian, else the
 * generated one) in a docker-registry on loopback, pulled with `analyze --json --no-cache` by
 * this build, by BASELINE (a built checkout's bin/run.js, optional), with IMGSCOPE_THREADS=0, and
 * copied by `skopeo copy` to `dir:`; every round runs each once, in turn. Prints the medians of
 * wall time, CPU (user + sys) and peak RSS, then the median of each round's ratio to this
 * build: on a shared machine the ratios of neighbouring runs hold better than the times.
 * BANDWIDTH=bytes/s pulls through a fault proxy whose responses share that link instead.
 *
 *   npm run build && BASELINE=/work/main/bin/run.js node --import tsx bench/registry-versus.ts [ROUNDS]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadavg } from 'node:os';
import { startFaultProxy } from '../test/helpers/fault-proxy.js';
import { makeTempDir, skopeoPush, startRegistry } from '../test/helpers/registry-server.js';
import { makeLargeImage } from './make-large-image.js';
import { measuredEnv } from './measured-env.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const BASELINE = process.env['BASELINE'];
const BANDWIDTH = process.env['BANDWIDTH'] === undefined ? undefined : Number(process.env['BANDWIDTH']);

interface Sample {
  wall: number;
  cpu: number;
  rssMib: number;
}

async function measure(command: string, env: NodeJS.ProcessEnv = {}): Promise<Sample> {
  const { stderr } = await promisify(execFile)(
    '/usr/bin/time',
    ['-f', 'BENCH %e %U %S %M', 'sh', '-c', `( ${command} ) > /dev/null`],
    { encoding: 'utf8', env: measuredEnv(env), maxBuffer: 1 << 26 },
  );
  const [, wall, user, sys, kb] = (stderr.split('\n').find((l) => l.startsWith('BENCH ')) ?? '')
    .split(' ')
    .map(Number);
  return { wall: wall ?? NaN, cpu: (user ?? NaN) + (sys ?? NaN), rssMib: (kb ?? NaN) / 1024 };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const debian = resolve('.bench/debian');
const layout = existsSync(join(debian, 'done'))
  ? join(debian, 'oci-gzip')
  : (await makeLargeImage(resolve('.bench'))).ociLayout;
const registry = await startRegistry();
const proxy = BANDWIDTH === undefined ? null : await startFaultProxy(registry.host, { bandwidth: BANDWIDTH });
const work = await makeTempDir('registry-versus');
try {
  const host = proxy?.host ?? registry.host;
  await skopeoPush(`oci:${layout}`, `${registry.host}/bench/image:gzip`);
  const pull = (bin: string): string => `node ${bin} analyze ${host}/bench/image:gzip --json --no-cache`;
  const sides: { label: string; command: string; env?: NodeJS.ProcessEnv }[] = [
    { label: 'this build', command: pull(resolve('bin/run.js')) },
    ...(BASELINE === undefined ? [] : [{ label: `baseline ${BASELINE}`, command: pull(BASELINE) }]),
    {
      label: 'this build, IMGSCOPE_THREADS=0',
      command: pull(resolve('bin/run.js')),
      env: { IMGSCOPE_THREADS: '0' },
    },
    {
      label: '`skopeo copy` to `dir:`',
      command: `rm -rf ${work}/dir; skopeo copy --quiet --insecure-policy --src-tls-verify=false docker://${host}/bench/image:gzip dir:${work}/dir`,
    },
  ];
  const samples: Sample[][] = sides.map(() => []);
  const load = loadavg()[0]?.toFixed(1);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of sides.entries()) {
      samples[i]?.push(await measure(side.command, { XDG_CACHE_HOME: join(work, 'cache'), ...side.env }));
    }
  }
  console.log(
    `${layout}, ${BANDWIDTH === undefined ? 'loopback' : `through ${(BANDWIDTH / 1e6).toFixed(0)} MB/s`}, ${ROUNDS} rounds; load average ${load} at the start, ${loadavg()[0]?.toFixed(1)} at the end`,
  );
  console.log('| run | wall | CPU | peak RSS | this build / it, wall (median of rounds) | CPU |');
  console.log('|---|---|---|---|---|---|');
  const ours = samples[0] ?? [];
  for (const [i, side] of sides.entries()) {
    const mine = samples[i] ?? [];
    const ratio = (key: 'wall' | 'cpu'): string =>
      i === 0 ? '' : `${median(ours.map((s, round) => s[key] / (mine[round]?.[key] ?? NaN))).toFixed(2)}x`;
    console.log(
      `| ${side.label} | ${median(mine.map((s) => s.wall)).toFixed(2)} s | ${median(mine.map((s) => s.cpu)).toFixed(2)} s | ${median(mine.map((s) => s.rssMib)).toFixed(0)} MiB | ${ratio('wall')} | ${ratio('cpu')} |`,
    );
  }
} finally {
  await proxy?.stop();
  await registry.stop();
  await rm(work, { recursive: true, force: true });
}
