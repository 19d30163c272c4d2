/**
 * Issue 13's table: each imgscope row beside its anchor, run alternately in the same invocation
 * (RUNS rounds, medians), with wall time, CPU time (user + sys), peak RSS and the ratios, then
 * the floors (`node -e 0`, importing @oclif/core, sha256 of the layer bytes on one and two
 * cores, `gzip -dc` of the gzip blobs). On a shared machine wall times swing with the load:
 * read the ratios of alternating runs, and the CPU ratios.
 *
 *   bash bench/make-debian-image.sh            # realistic image, once (.bench/debian)
 *   npm run build && node --import tsx bench/perf-table.ts [RUNS]
 *
 * The image is .bench/debian when it was built, else the generated one (bench/make-large-image.ts).
 * dive comes from $DIVE or PATH; its rows are skipped with a note when it is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { makeLargeImage } from './make-large-image.js';

const RUNS = Number(process.argv[2] ?? 3);
const cli = `node ${resolve('bin/run.js')}`;

interface Sample {
  wall: number;
  cpu: number;
  rssMib: number;
}

function measure(command: string, env: NodeJS.ProcessEnv = {}): Sample {
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', 'BENCH %e %U %S %M', 'sh', '-c', `( ${command} ) > /dev/null`],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      maxBuffer: 1 << 26,
    },
  );
  const line = result.stderr.split('\n').find((l) => l.startsWith('BENCH ')) ?? '';
  // dive --ci exits 1 when its rules fail the image: still a complete run.
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed: ${result.stderr}`);
  const [, wall, user, sys, kb] = line.split(' ').map(Number);
  return { wall: wall ?? NaN, cpu: (user ?? NaN) + (sys ?? NaN), rssMib: (kb ?? NaN) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

interface Side {
  label: string;
  command: string;
  env?: NodeJS.ProcessEnv;
}

interface Row {
  work: string;
  subject: Side;
  anchor: Side;
  goal: string;
}

function medians(samples: Sample[]): Sample {
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMib: median(samples.map((s) => s.rssMib)),
  };
}

const f2 = (n: number): string => n.toFixed(2);
const show = (s: Sample): string => `${f2(s.wall)} s (cpu ${f2(s.cpu)} s), ${s.rssMib.toFixed(0)} MiB`;

function runRow(row: Row): string {
  const subject: Sample[] = [];
  const anchor: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    subject.push(measure(row.subject.command, row.subject.env));
    anchor.push(measure(row.anchor.command, row.anchor.env));
  }
  const s = medians(subject);
  const a = medians(anchor);
  return `| ${row.work} | ${show(s)} | ${row.anchor.label}: ${show(a)} | ${f2(s.wall / a.wall)}x | ${f2(s.cpu / a.cpu)}x | ${row.goal} |`;
}

function findDive(): string | null {
  const candidates = [
    process.env['DIVE'],
    ...(process.env['PATH'] ?? '').split(':').map((dir) => join(dir, 'dive')),
  ];
  return (
    candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path)) ?? null
  );
}

// The image: the realistic Debian one when built, else the generated one.
const debian = resolve('.bench/debian');
let archive: string;
let gzipLayout: string;
let zstdLayout: string | null;
let which: string;
if (existsSync(join(debian, 'done'))) {
  archive = join(debian, 'docker-archive.tar');
  gzipLayout = join(debian, 'oci-gzip');
  zstdLayout = join(debian, 'oci-zstd');
  which = 'realistic Debian bookworm + nginx image (bench/make-debian-image.sh)';
} else {
  const image = await makeLargeImage(resolve('.bench'));
  archive = image.dockerArchive;
  gzipLayout = image.ociLayout;
  zstdLayout = null;
  which = 'generated image (bench/make-large-image.ts; bench/make-debian-image.sh was not run)';
}
// An OCI archive as Docker >= 25 saves it: the layout plus a manifest.json, which dive needs.
const ociArchive = `${gzipLayout}.tar`;
if (!existsSync(ociArchive)) {
  const blob = (digest: string): string => `blobs/sha256/${digest.slice('sha256:'.length)}`;
  const read = (digest: string): { config: { digest: string }; layers: { digest: string }[] } =>
    JSON.parse(readFileSync(join(gzipLayout, blob(digest)), 'utf8'));
  const index = JSON.parse(readFileSync(join(gzipLayout, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const manifest = read(index.manifests[0]?.digest ?? '');
  writeFileSync(
    join(gzipLayout, 'manifest.json'),
    JSON.stringify([
      {
        Config: blob(manifest.config.digest),
        RepoTags: ['bench:latest'],
        Layers: manifest.layers.map((l) => blob(l.digest)),
      },
    ]),
  );
  spawnSync('tar', [
    '-C',
    gzipLayout,
    '-cf',
    ociArchive,
    'oci-layout',
    'index.json',
    'manifest.json',
    'blobs',
  ]);
}
const blobs = (layout: string): string[] =>
  readdirSync(join(layout, 'blobs/sha256'))
    .map((name) => join(layout, 'blobs/sha256', name))
    .filter((path) => statSync(path).size > 1 << 20);
const small = resolve('fixtures/dive/test-docker-image.tar');
const dive = findDive();

const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
console.log(`image: ${which}; ${RUNS} alternating runs per row, medians; Node ${process.version}`);
console.log(`load average at start: ${load()}`);
console.log(`| work | imgscope | anchor | wall ratio | cpu ratio | goal |\n|---|---|---|---|---|---|`);
const rows: Row[] = [];
const diveSide = (source: string): Side => ({
  label: '`dive --ci`',
  command: `${dive} --ci --source docker-archive ${source}`,
  env: { CI: 'true' },
});
if (dive !== null) {
  rows.push(
    {
      work: 'docker-archive (uncompressed)',
      subject: { label: 'imgscope', command: `${cli} analyze ${archive} --json` },
      anchor: diveSide(archive),
      goal: '<= 1.0x',
    },
    {
      work: 'oci-archive (gzip layers)',
      subject: { label: 'imgscope', command: `${cli} analyze oci-archive:${ociArchive} --json` },
      anchor: diveSide(ociArchive),
      goal: '<= 0.6x',
    },
  );
} else {
  console.log('| dive rows | skipped: no dive in $DIVE or PATH | | | | |');
}
rows.push(
  {
    work: 'docker-archive, worker threads vs none',
    subject: { label: 'imgscope', command: `${cli} analyze ${archive} --json` },
    anchor: {
      label: 'IMGSCOPE_THREADS=0',
      command: `${cli} analyze ${archive} --json`,
      env: { IMGSCOPE_THREADS: '0' },
    },
    goal: '< 1x on 2 cores',
  },
  {
    work: 'small image (dive test image, 1.2 MB)',
    subject: { label: 'imgscope', command: `${cli} analyze ${small} --json` },
    anchor: { label: '`node -e 0`', command: 'node -e 0' },
    goal: '<= 2.5x',
  },
  {
    work: 'diff of two images sharing their layers',
    subject: { label: 'imgscope', command: `${cli} diff ${archive} oci:${gzipLayout} --json` },
    anchor: { label: 'analyze the larger alone', command: `${cli} analyze oci:${gzipLayout} --json` },
    goal: '<= 1.2x',
  },
);
if (zstdLayout !== null) {
  rows.push({
    work: 'zstd layers (OCI layout)',
    subject: { label: 'imgscope', command: `${cli} analyze oci:${zstdLayout} --json` },
    anchor: { label: 'its gzip twin', command: `${cli} analyze oci:${gzipLayout} --json` },
    goal: '<= 1.2x',
  });
}
for (const row of rows) console.log(runRow(row));

// Floors: what any reader of these bytes pays at least.
const layers = readdirSync(join(gzipLayout, 'blobs/sha256')).length;
const floor = (label: string, command: string): void => {
  const m = medians(Array.from({ length: RUNS }, () => measure(command)));
  console.log(`| floor: ${label} | ${show(m)} | | | | |`);
};
floor('`node -e 0`', 'node -e 0');
floor('import @oclif/core', `node --input-type=module -e "await import('@oclif/core')"`);
floor('sha256 of the archive, 1 core', `sha256sum ${archive}`);
const half = Math.ceil(statSync(archive).size / 2);
floor(
  'sha256 of the archive, 2 cores (two halves)',
  `head -c ${half} ${archive} | sha256sum & tail -c +${half + 1} ${archive} | sha256sum & wait`,
);
floor(
  '`gzip -dc` of the gzip blobs',
  blobs(gzipLayout)
    .map((blob) => `gzip -dc ${blob}`)
    .join(' && '),
);
console.log(`(${layers} blobs in the OCI layout; load average at the end: ${load()})`);
