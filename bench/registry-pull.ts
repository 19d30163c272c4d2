/**
 * Registry pull benchmark (issue 3): a large gzip image (>= 250 MB of layer data) in a local
 * docker-registry, pulled by `imgscope analyze` (download + decompress + parse, --no-cache)
 * and by `skopeo copy docker://... dir:...` (download only). Prints wall time, peak RSS and
 * throughput of each, median of RUNS runs. Target: analyze <= 1.2x skopeo, RSS < 200 MB.
 *
 *   npm run build && node --import tsx bench/registry-pull.ts [RUNS]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { type EntrySpec, writeOciLayout } from '../test/helpers/image-builder.js';
import { makeTempDir, skopeoPush, startRegistry } from '../test/helpers/registry-server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAYOUT = join(ROOT, '.bench', 'registry-large');
const RUNS = Number(process.argv[2] ?? 3);
const LAYERS = 7;

function layerEntries(i: number): EntrySpec[] {
  const entries: EntrySpec[] = [
    { type: 'file', path: `opt/layer${i}/text.dat`, size: 60_000_000, fill: 'text', seed: `text${i}` },
    { type: 'file', path: `opt/layer${i}/random.dat`, size: 20_000_000, fill: 'random', seed: `rand${i}` },
  ];
  for (let f = 0; f < 2000; f++) {
    entries.push({
      type: 'file',
      path: `usr/share/layer${i}/f${f}.txt`,
      size: 2000 + (f % 7) * 300,
      fill: 'text',
    });
  }
  return entries;
}

async function ensureLayout(): Promise<number> {
  const marker = join(LAYOUT, 'bench-size');
  if (existsSync(marker)) return Number(await readFile(marker, 'utf8'));
  await rm(LAYOUT, { recursive: true, force: true });
  await mkdir(LAYOUT, { recursive: true });
  console.error(`building ${LAYERS} gzip layers in ${LAYOUT} (once)...`);
  const built = await writeOciLayout(
    {
      layers: Array.from({ length: LAYERS }, (_, i) => ({
        entries: layerEntries(i),
        compression: 'gzip' as const,
        createdBy: `/bin/sh -c build step ${i}`,
      })),
    },
    LAYOUT,
    { tag: 'latest' },
  );
  const size = built.layerSizes.reduce((a, b) => a + b, 0);
  await writeFile(marker, String(size));
  return size;
}

interface Measure {
  seconds: number;
  rssMb: number;
}

async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measure> {
  const { stderr } = await run('/usr/bin/time', ['-f', 'BENCH %e %M', cmd, ...args], {
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  const line = stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (line === undefined) throw new Error(`no timing from ${cmd}: ${stderr}`);
  const [, seconds, kb] = line.split(' ');
  return { seconds: Number(seconds), rssMb: Number(kb) / 1024 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const layerBytes = await ensureLayout();
const registry = await startRegistry();
const work = await makeTempDir('bench');
try {
  const ref = `${registry.host}/bench/large:1`;
  await skopeoPush(`oci:${LAYOUT}:latest`, ref);
  const skopeo: Measure[] = [];
  const imgscope: Measure[] = [];
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
    imgscope.push(
      await timed(process.execPath, [join(ROOT, 'bin', 'run.js'), 'analyze', ref, '--json', '--no-cache'], {
        ...process.env,
        XDG_CACHE_HOME: join(work, 'cache'),
      }),
    );
  }
  const mb = layerBytes / 1e6;
  const row = (name: string, m: Measure[]): string => {
    const s = median(m.map((x) => x.seconds));
    const rss = Math.max(...m.map((x) => x.rssMb));
    return `${name.padEnd(44)} ${s.toFixed(2).padStart(7)} s  ${rss.toFixed(0).padStart(5)} MB  ${(mb / s).toFixed(0).padStart(5)} MB/s`;
  };
  console.log(
    `layer data: ${mb.toFixed(0)} MB gzip in ${LAYERS} layers; median of ${RUNS} runs, peak RSS is the max`,
  );
  console.log(`${''.padEnd(44)} ${'wall'.padStart(9)}  ${'RSS'.padStart(8)}  ${'rate'.padStart(10)}`);
  console.log(row('skopeo copy docker://... dir:... (download)', skopeo));
  console.log(row('imgscope analyze --no-cache', imgscope));
  const ratio = median(imgscope.map((x) => x.seconds)) / median(skopeo.map((x) => x.seconds));
  console.log(
    `analyze / skopeo wall time: ${ratio.toFixed(2)}x (target <= 1.2x); imgscope peak RSS target < 200 MB`,
  );
} finally {
  await registry.stop();
  await rm(work, { recursive: true, force: true });
}
