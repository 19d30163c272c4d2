/**
 * Benchmark: the HTML report (`analyze --html`) of a 20,000-file and a 100,000-file generated
 * image: the file's size, and how soon the page is usable in headless Chromium, measured from
 * navigation start to (a) the page built and (b) the first layer's file list shown after a click
 * on that layer. Goals (issue 14): <= 3 MB and <= 1 s for the 20,000-file image; the
 * 100,000-file one usable. The calibration column is a fixed script workload in the same page
 * (about 10 ms on a quiet machine): read the times against it. Where the realistic Debian nginx
 * image exists (bench/make-debian-image.sh writes .bench/debian/docker-archive.tar; DEBIAN_IMAGE
 * names another), its report is measured too.
 * Run: npm run build && node --import tsx bench/html-report.ts [WORKDIR]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../test/helpers/browser.js';
import { makeLargeImage } from './make-large-image.js';

const work = resolve(process.argv[2] ?? '.bench-html');
const RUNS = 3;

interface PageTimes {
  readyMs: number;
  firstLayerMs: number;
  /** A fixed amount of script work in the same page: the anchor that says how busy the machine was. */
  calibrationMs: number;
}

/** 80,000 small objects into a Map and read back: about 10 ms on a quiet 2-core machine. */
function calibrate(): number {
  const start = performance.now();
  const map = new Map<number, { a: number; b: number }>();
  for (let i = 0; i < 80_000; i++) map.set(i, { a: i, b: 2 });
  let sum = 0;
  for (const value of map.values()) sum += value.a;
  return sum >= 0 ? performance.now() - start : NaN;
}

async function pageTimes(file: string): Promise<PageTimes> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    const readyMs = await page.evaluate(() => performance.now());
    await page.locator('.layer-bar[data-layer="0"]').click();
    await page.waitForFunction(
      "/up to layer 0:/.test(document.getElementById('explorer-status').textContent)",
    );
    const firstLayerMs = await page.evaluate(() => performance.now());
    const calibrationMs = await page.evaluate(calibrate);
    return { readyMs, firstLayerMs, calibrationMs };
  } finally {
    await browser.close();
  }
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

console.log(`HTML report benchmark (${RUNS} runs each, medians; generated images under ${work})`);
console.log(
  'image                 entries   report size   page built   first layer listed   calibration   goal',
);
interface BenchImage {
  label: string;
  archive: string;
  files: number;
  dir: string;
  goal: string;
}

/** Files the image's layers hold, from the analysis (what the page lists). */
function fileCount(archive: string): number {
  const json = execFileSync(process.execPath, ['bin/run.js', 'analyze', archive, '--format', 'json'], {
    maxBuffer: 1 << 30,
  });
  const analysis = JSON.parse(json.toString()) as { layers: { fileCount: number }[] };
  return analysis.layers.reduce((sum, layer) => sum + layer.fileCount, 0);
}

const images: BenchImage[] = [];
for (const files of [20_000, 100_000]) {
  const dir = join(work, `files-${files}`);
  const image = await makeLargeImage(dir, { files, totalBytes: 32 * 1024 * 1024 });
  images.push({
    label: `${image.layers} layers`,
    archive: image.dockerArchive,
    files: image.files,
    dir,
    goal: files === 20_000 ? '<= 3 MB, <= 1000 ms' : 'usable',
  });
}
const debian = resolve(process.env['DEBIAN_IMAGE'] ?? '.bench/debian/docker-archive.tar');
if (existsSync(debian)) {
  images.push({
    label: 'Debian nginx',
    archive: debian,
    files: fileCount(debian),
    dir: work,
    goal: 'usable',
  });
} else {
  console.log(`(no realistic Debian image at ${debian}: bench/make-debian-image.sh builds it)`);
}
for (const image of images) {
  const html = join(image.dir, `report-${image.label.replace(/\W+/g, '-')}.html`);
  execFileSync(process.execPath, ['bin/run.js', 'analyze', image.archive, '--html', html], {
    stdio: 'ignore',
  });
  const size = statSync(html).size;
  const times: PageTimes[] = [];
  for (let run = 0; run < RUNS; run++) times.push(await pageTimes(html));
  const ready = median(times.map((t) => t.readyMs));
  const listed = median(times.map((t) => t.firstLayerMs));
  const calibration = median(times.map((t) => t.calibrationMs));
  console.log(
    `${image.label.padEnd(21)} ${String(image.files).padStart(7)}   ${(size / 1e6).toFixed(2).padStart(8)} MB   ${ready.toFixed(0).padStart(7)} ms   ${listed.toFixed(0).padStart(15)} ms   ${calibration.toFixed(0).padStart(8)} ms   ${image.goal}`,
  );
}
