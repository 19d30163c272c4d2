/**
 * Benchmark: what the package inventory adds to an analysis. Each round analyzes IMAGE (which
 * includes the inventory), then runs the inventory alone on that analysis's layers; the ratio
 * is inventory time / (analysis time - inventory time), medians of the rounds. The reader's
 * share (keeping metadata bodies) is inside the analysis time and not separated.
 * Run: node --import tsx bench/package-inventory.ts IMAGE [ROUNDS]
 * (a realistic Debian image: the one test/integration/debian-packages.test.ts builds, or any
 * `docker save` of a debian-based image).
 */
import { performance } from 'node:perf_hooks';
import { inventoryPackages, sqliteForRpm } from '../src/packages/index.js';
import { analyzeImage } from '../src/services/index.js';

const image = process.argv[2];
const rounds = Number(process.argv[3] ?? 5);
if (image === undefined) {
  console.error('usage: node --import tsx bench/package-inventory.ts IMAGE [ROUNDS]');
  process.exit(2);
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const analyses: number[] = [];
const inventories: number[] = [];
let packages = 0;
for (let round = 0; round < rounds; round++) {
  const start = performance.now();
  const analysis = await analyzeImage(image);
  analyses.push(performance.now() - start);
  const again = performance.now();
  packages = inventoryPackages(analysis.contents, analysis.finalFiles, await sqliteForRpm(analysis.contents))
    .packages.length;
  inventories.push(performance.now() - again);
}
const analysisMs = median(analyses);
const inventoryMs = median(inventories);
console.log(`image: ${image} (${packages} packages, ${rounds} rounds, medians)`);
console.log(`analysis with inventory  ${analysisMs.toFixed(0).padStart(7)} ms`);
console.log(`inventory alone          ${inventoryMs.toFixed(1).padStart(7)} ms`);
console.log(
  `inventory / rest         ${((inventoryMs / (analysisMs - inventoryMs)) * 100).toFixed(2).padStart(7)} %  (goal <= 10 %)`,
);
