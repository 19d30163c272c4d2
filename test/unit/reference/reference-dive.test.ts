import { describe, expect, it } from 'vitest';
import type { LayerContents } from '../../../src/model/index.js';
import { analyzeResolved, type LayerCache } from '../../../src/services/index.js';
import { openImageSource } from '../../../src/sources/index.js';
import { diveExpected } from '../../helpers/dive-expected.js';
import { referenceDiveMetrics } from '../../helpers/reference-dive.js';
import { DIVE_FIXTURES } from '../../helpers/run-cli.js';

/**
 * The verbatim earlier dive implementation in test/helpers/reference-dive.ts is a reference for
 * the optimised one only as long as it computes what dive computes: held here to the numbers
 * dive v0.13.1 reports for its own test images (fixtures/dive/EXPECTED.json).
 */
const expected = diveExpected();

/** The layer contents the reader produces for a dive fixture, in layer order. */
async function layerContents(file: string): Promise<LayerContents[]> {
  const resolved = await (await openImageSource(`${DIVE_FIXTURES}${file}`)).resolve({});
  const cache: LayerCache = new Map();
  await analyzeResolved(resolved, 2, cache);
  return Promise.all(resolved.layers.map((layer) => cache.get(layer.diffId ?? '')!));
}

const byPath = (a: { path: string }, b: { path: string }): number => a.path.localeCompare(b.path);

describe("the reference dive implementation gives dive's own numbers", () => {
  it.each(Object.keys(expected))('%s', async (file) => {
    const want = expected[file]!;
    const dive = referenceDiveMetrics(await layerContents(file));
    expect(dive.efficiency).toBe(want.efficiency);
    expect(dive.sizeBytes).toBe(want.sizeBytes);
    expect(dive.userSizeBytes).toBe(want.userSizeBytes);
    expect(dive.wastedBytes).toBe(want.wastedBytes);
    expect(dive.userWastedPercent).toBe(want.userWastedPercent);
    expect(
      dive.inefficientFiles
        .map(({ path, count, wastedBytes }) => ({ path, count, wastedBytes }))
        .sort(byPath),
    ).toEqual([...want.inefficientFiles].sort(byPath));
  });
});
