import { afterAll, describe, expect, it } from 'vitest';
import { diveExpected } from '../helpers/dive-expected.js';
import { DIVE_FIXTURES, runCli } from '../helpers/run-cli.js';
import { cleanupTempDirs } from '../helpers/temp.js';

const expected = diveExpected();

interface Report {
  image: { sizeBytes: number };
  efficiency: {
    score: number;
    userSizeBytes: number;
    wastedBytes: number;
    userWastedPercent: number | null;
    inefficientFiles: { path: string; count: number; wastedBytes: number }[];
  };
  layers: { index: number; diffId: string; command: string; sizeBytes: number }[];
}

const byPath = (a: { path: string }, b: { path: string }): number => a.path.localeCompare(b.path);

afterAll(cleanupTempDirs);

describe('dive conformance: the numbers dive v0.13.1 reports for its own test images', () => {
  it.each(Object.keys(expected))('%s', async (file) => {
    const want = expected[file]!;
    const result = await runCli(['analyze', `${DIVE_FIXTURES}${file}`, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.efficiency.score).toBe(want.efficiency);
    expect(report.image.sizeBytes).toBe(want.sizeBytes);
    expect(report.efficiency.userSizeBytes).toBe(want.userSizeBytes);
    expect(report.efficiency.wastedBytes).toBe(want.wastedBytes);
    expect(report.efficiency.userWastedPercent).toBe(want.userWastedPercent);
    expect(
      report.layers.map(({ index, diffId, command, sizeBytes }) => ({ index, diffId, command, sizeBytes })),
    ).toEqual(want.layers);
    expect([...report.efficiency.inefficientFiles].sort(byPath)).toEqual(
      [...want.inefficientFiles].sort(byPath),
    );
  });
});
