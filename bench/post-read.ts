/**
 * The main thread's work after the last layer is read (analysis, findings, JSON report), timed
 * on its own: the layers of IMAGE are read once and kept (layer-contents codec), then each run
 * is a fresh process (cold code, as in the CLI) that decodes them and times `buildAnalysis`,
 * `findImageProblems` and `renderAnalysisJson`. With another checkout named, runs alternate
 * between the two (both built), so that a loaded machine weighs on both alike.
 *
 *   npm run build
 *   node --import tsx bench/post-read.ts [IMAGE] [RUNS] [OTHER_CHECKOUT]
 *
 * IMAGE defaults to the Debian bench archive. Figures are the main thread's CPU time (Linux
 * schedstat: not the compiler or GC helper threads, coarse to a scheduler tick) and wall time,
 * medians of RUNS (default 7). The code cache the CLI keeps is not used here: both sides compile
 * their functions as they first run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [image = 'docker-archive:.bench/debian/docker-archive.tar', runsArgument = '7', other] =
  process.argv.slice(2);
const runs = Number(runsArgument);
const here = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'imgscope-post-read-'));

/** The child: decodes the layers, times the three steps, prints one JSON line. */
const CHILD = `
import { readFileSync } from 'node:fs';
const [root, dir] = process.argv.slice(1);
const at = (path) => import(new URL(path, root).href);
const { buildAnalysis } = await at('dist/analysis/index.js');
const { decodeLayerContents } = await at('dist/layers/index.js');
const { findImageProblems } = await at('dist/services/find-image-problems.js');
const { renderAnalysisJson } = await at('dist/render/index.js');
const cpu = () => Number(readFileSync('/proc/self/task/' + process.pid + '/schedstat', 'utf8').split(' ')[0]) / 1e6;
const meta = JSON.parse(readFileSync(dir + '/meta.json', 'utf8'));
const contents = meta.layers.map((_, i) => decodeLayerContents(readFileSync(dir + '/layer-' + i + '.bin')));
const wall = performance.now();
const t0 = cpu();
const analysis = buildAnalysis({ image: meta.image, config: meta.config, layers: meta.layers, contents, sqlite: null });
const t1 = cpu();
const report = findImageProblems(analysis);
const t2 = cpu();
const json = renderAnalysisJson(report.analysis, report.findings, {});
const t3 = cpu();
console.log(JSON.stringify({ analysis: t1 - t0, findings: t2 - t1, json: t3 - t2, total: t3 - t0, wall: performance.now() - wall, bytes: json.length }));
`;

async function keepLayers(): Promise<void> {
  const dist = (path: string): string => pathToFileURL(join(here, 'dist', path)).href;
  const { analyzeImage } = (await import(
    dist('services/analyze-image.js')
  )) as typeof import('../src/services/analyze-image.js');
  const { encodeLayerContents } = (await import(
    dist('layers/index.js')
  )) as typeof import('../src/layers/index.js');
  const analysis = await analyzeImage(image);
  analysis.contents.forEach((contents, index) =>
    writeFileSync(join(dir, `layer-${index}.bin`), Buffer.from(encodeLayerContents(contents))),
  );
  const layers = analysis.layers.map((layer) => ({ diffId: layer.diffId, digest: layer.digest }));
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ image: analysis.image, config: analysis.config, layers }),
  );
}

type Figures = Record<'analysis' | 'findings' | 'json' | 'total' | 'wall', number>;

function run(root: string): Figures {
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', CHILD, pathToFileURL(`${root}/`).href, dir],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`${root}: ${child.stderr}`);
  return JSON.parse(child.stdout) as Figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

try {
  await keepLayers();
  const roots = other === undefined ? [here] : [resolve(other), here];
  const figures = new Map<string, Figures[]>(roots.map((root) => [root, []]));
  for (let i = 0; i < runs; i++) for (const root of roots) figures.get(root)?.push(run(root));
  console.log(`${image}, ${runs} runs each, medians in ms (main-thread CPU; wall last)`);
  for (const [root, list] of figures) {
    const of = (key: keyof Figures): string => median(list.map((entry) => entry[key])).toFixed(1);
    console.log(
      `${root}: analysis ${of('analysis')}  findings ${of('findings')}  json ${of('json')}  total ${of('total')}  wall ${of('wall')}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
