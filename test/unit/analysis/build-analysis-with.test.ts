import { describe, expect, it } from 'vitest';
import { buildAnalysis, buildAnalysisWith, type AnalysisInput } from '../../../src/analysis/index.js';
import { countDiveWaste, type DiveWasteInput } from '../../../src/analysis/dive-waste.js';
import { scenario } from './scenario.js';

const input = (): AnalysisInput => ({
  image: { reference: 'x', source: 'docker-archive', digest: null, id: null, platform: null, user: '' },
  config: {},
  layers: scenario.map(() => ({ diffId: null, digest: null })),
  contents: scenario,
});

describe('buildAnalysisWith', () => {
  it("builds the analysis buildAnalysis builds, with dive's count made where it is handed", async () => {
    const expected = buildAnalysis(input());
    const handed: DiveWasteInput[] = [];
    const analysis = await buildAnalysisWith(input(), (waste) => {
      handed.push(waste);
      return Promise.resolve(countDiveWaste(waste));
    });
    expect(handed).toHaveLength(1);
    expect(analysis.dive).toEqual(expected.dive);
    expect(analysis.dive.wastedBytes).toBe(220 + 400 + 1000);
    expect({ ...analysis, dive: null }).toEqual({ ...expected, dive: null });
  });

  it('counts here where the count is declined or fails there', async () => {
    const expected = buildAnalysis(input()).dive;
    expect((await buildAnalysisWith(input(), () => null)).dive).toEqual(expected);
    const failed = await buildAnalysisWith(input(), () => Promise.reject(new Error('the worker died')));
    expect(failed.dive).toEqual(expected);
  });

  it('uses the counts it is given', async () => {
    const analysis = await buildAnalysisWith(input(), (waste) => {
      const counted = countDiveWaste(waste);
      return Promise.resolve({ ...counted, wastedBytes: counted.wastedBytes.map((bytes) => bytes * 2) });
    });
    expect(analysis.dive.wastedBytes).toBe(2 * (220 + 400 + 1000));
  });
});
