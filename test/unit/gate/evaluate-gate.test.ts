import { describe, expect, it } from 'vitest';
import {
  evaluateGate,
  parseDiveCiFile,
  parseGateFlags,
  parseImgscopeConfigFile,
  resolveGateConfig,
  type GateAnalysis,
  type GateConfig,
} from '../../../src/gate/index.js';
import type { GateStatus } from '../../../src/model/index.js';
import { diveExpectedAnalysis, syntheticAnalysis } from '../../helpers/gate-fixtures.js';

const DIVE_IDS = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const;

function diveConfig(efficiency: string, wastedBytes: string, wastedPercent: string): GateConfig {
  const text = `rules:\n  lowestEfficiency: "${efficiency}"\n  highestWastedBytes: "${wastedBytes}"\n  highestUserWastedPercent: "${wastedPercent}"\n`;
  return resolveGateConfig([parseDiveCiFile(text, '.dive-ci')]);
}

function statuses(analysis: GateAnalysis, config: GateConfig): Record<string, GateStatus> {
  return Object.fromEntries(evaluateGate(analysis, [], config).rules.map((r) => [r.id, r.status]));
}

function flagConfig(thresholds: Record<string, string>): GateConfig {
  return resolveGateConfig([parseGateFlags({ thresholds })]);
}

describe('dive parity on test-docker-image.tar (numbers from EXPECTED.json)', () => {
  const analysis = diveExpectedAnalysis();

  it('has the numbers the issue quotes', () => {
    expect(analysis.dive).toEqual({
      efficiency: 0.9844212134184309,
      wastedBytes: 32025,
      userSizeBytes: 66237,
      userWastedPercent: 0.4834911001404049,
    });
  });

  it("with dive's example rules (0.95, 20MB, 0.5) every rule passes, as in dive", () => {
    const result = evaluateGate(analysis, [], diveConfig('0.95', '20MB', '0.5'));
    expect(result.passed).toBe(true);
    expect(result.rules.map((r) => [r.id, r.status])).toEqual(DIVE_IDS.map((id) => [id, 'PASS']));
    expect(result.summary).toEqual({ total: 3, pass: 3, fail: 0, warn: 0, skip: 0 });
  });

  // The table of dive's own evaluator test (cmd/dive/cli/internal/command/ci/evaluator_test.go).
  it.each([
    ['allFail', '0.99', '1B', '0.01', false, ['FAIL', 'FAIL', 'FAIL']],
    ['allPass', '0.9', '50kB', '0.5', true, ['PASS', 'PASS', 'PASS']],
    ['allDisabled', 'disabled', 'disabled', 'disabled', true, ['SKIP', 'SKIP', 'SKIP']],
    ['mixedResults', '0.9', '1B', '0.5', false, ['PASS', 'FAIL', 'PASS']],
  ] as const)("dive's %s case", (_name, efficiency, wasted, percent, pass, expected) => {
    const result = evaluateGate(analysis, [], diveConfig(efficiency, wasted, percent));
    expect(result.passed).toBe(pass);
    expect(result.rules.map((r) => r.status)).toEqual(expected);
  });

  it('with the defaults (0.9, disabled, 0.1) fails on highestUserWastedPercent only', () => {
    const result = evaluateGate(analysis, [], resolveGateConfig([]));
    expect(result.passed).toBe(false);
    expect(result.rules.map((r) => [r.id, r.status])).toEqual([
      ['lowestEfficiency', 'PASS'],
      ['highestWastedBytes', 'SKIP'],
      ['highestUserWastedPercent', 'FAIL'],
    ]);
    expect(result.summary).toEqual({ total: 3, pass: 1, fail: 1, warn: 0, skip: 1 });
  });

  it('moves each threshold across its value: equal passes, one step past fails (strict, as dive)', () => {
    const eff = 0.9844212134184309;
    const up = (x: number): string => String(x + Number.EPSILON * x);
    expect(statuses(analysis, diveConfig(String(eff), 'off', 'off')).lowestEfficiency).toBe('PASS');
    expect(statuses(analysis, diveConfig(up(eff), 'off', 'off')).lowestEfficiency).toBe('FAIL');
    expect(statuses(analysis, diveConfig('0.98', 'off', 'off')).lowestEfficiency).toBe('PASS');
    expect(statuses(analysis, diveConfig('0.99', 'off', 'off')).lowestEfficiency).toBe('FAIL');

    expect(statuses(analysis, diveConfig('off', '32025', 'off')).highestWastedBytes).toBe('PASS');
    expect(statuses(analysis, diveConfig('off', '32024', 'off')).highestWastedBytes).toBe('FAIL');
    expect(statuses(analysis, diveConfig('off', '32026B', 'off')).highestWastedBytes).toBe('PASS');
    expect(statuses(analysis, diveConfig('off', '32kB', 'off')).highestWastedBytes).toBe('FAIL');
    expect(statuses(analysis, diveConfig('off', '32KiB', 'off')).highestWastedBytes).toBe('PASS');

    const uwp = 0.4834911001404049;
    expect(statuses(analysis, diveConfig('off', 'off', String(uwp))).highestUserWastedPercent).toBe('PASS');
    const below = String(uwp - Number.EPSILON * uwp);
    expect(Number(below)).toBeLessThan(uwp);
    expect(statuses(analysis, diveConfig('off', 'off', below)).highestUserWastedPercent).toBe('FAIL');
    expect(statuses(analysis, diveConfig('off', 'off', '0.48')).highestUserWastedPercent).toBe('FAIL');
    expect(statuses(analysis, diveConfig('off', 'off', '0.49')).highestUserWastedPercent).toBe('PASS');
  });
});

describe('evaluateGate: each rule at, just below and just above its threshold', () => {
  const a = syntheticAnalysis(); // efficiency 0.8, wasted 5000, uwp 0.25, size 100000, compressed 40000,
  // largest layer 70000, 3 layers, reclaimable 15000 (0.15 of the size)

  it.each([
    // rule, flag, threshold below the value, equal, above
    ['lowestEfficiency', 'lowest-efficiency', '0.79', '0.8', '0.81', ['PASS', 'PASS', 'FAIL']],
    ['highestWastedBytes', 'highest-wasted-bytes', '4999', '5000', '5001', ['FAIL', 'PASS', 'PASS']],
    [
      'highestUserWastedPercent',
      'highest-user-wasted-percent',
      '0.24',
      '0.25',
      '0.26',
      ['FAIL', 'PASS', 'PASS'],
    ],
    ['maxImageSize', 'max-image-size', '99999', '100kB', '100001', ['FAIL', 'PASS', 'PASS']],
    ['maxCompressedSize', 'max-compressed-size', '39999', '40kB', '40001', ['FAIL', 'PASS', 'PASS']],
    ['maxLayerSize', 'max-layer-size', '69999', '70kB', '70001', ['FAIL', 'PASS', 'PASS']],
    ['maxLayers', 'max-layers', '2', '3', '4', ['FAIL', 'PASS', 'PASS']],
    ['maxReclaimableBytes', 'max-reclaimable-bytes', '14999', '15kB', '15001', ['FAIL', 'PASS', 'PASS']],
    ['maxReclaimablePercent', 'max-reclaimable-percent', '0.14', '0.15', '0.16', ['FAIL', 'PASS', 'PASS']],
  ] as const)('%s', (id, flag, below, equal, above, expected) => {
    const got = [below, equal, above].map((t) => {
      const rule = evaluateGate(a, [], flagConfig({ [flag]: t })).rules.find((r) => r.id === id);
      return rule?.status;
    });
    expect(got).toEqual(expected);
  });

  it('reports value, threshold, where it came from and why', () => {
    const result = evaluateGate(a, [], flagConfig({ 'max-layer-size': '50kB', highestWastedBytes: '4kB' }));
    const layer = result.rules.find((r) => r.id === 'maxLayerSize');
    expect(layer).toEqual({
      id: 'maxLayerSize',
      kind: 'budget',
      status: 'FAIL',
      unit: 'bytes',
      description: 'Fail when any single layer is larger than this (uncompressed).',
      value: 70_000,
      threshold: 50_000,
      configured: '50kB',
      source: '--max-layer-size',
      message:
        'largest layer 70000 bytes (70 kB) is above the threshold 50000 bytes (50 kB) [layer 0: #(nop) ADD file:base in /]',
    });
    expect(result.rules.find((r) => r.id === 'highestWastedBytes')?.message).toBe(
      'wasted bytes 5000 bytes (5.0 kB) is above the threshold 4000 bytes (4.0 kB)',
    );
    expect(result.rules.find((r) => r.id === 'lowestEfficiency')?.message).toBe(
      'image efficiency 0.8 (80.00%) is below the threshold 0.9 (90.00%)',
    );
  });

  it("lists budgets only when configured, so the default gate is exactly dive's three rules", () => {
    expect(evaluateGate(a, [], resolveGateConfig([])).rules.map((r) => r.id)).toEqual([...DIVE_IDS]);
    const withBudget = evaluateGate(a, [], flagConfig({ 'max-layers': 'off' }));
    expect(withBudget.rules.map((r) => [r.id, r.status])).toContainEqual(['maxLayers', 'SKIP']);
  });

  it('warns when a compressed-size budget cannot be checked', () => {
    const rule = evaluateGate(
      syntheticAnalysis({ compressedSizeBytes: null }),
      [],
      flagConfig({ 'max-compressed-size': '1MB' }),
    ).rules.find((r) => r.id === 'maxCompressedSize');
    expect(rule).toMatchObject({ status: 'WARN', value: null });
    expect(rule?.message).toContain('no compressed layer sizes');
  });

  it('follows dive when user bytes are 0: 0/0 is NaN and passes, n/0 is +Inf and fails', () => {
    const nan = syntheticAnalysis({
      dive: { efficiency: 1, wastedBytes: 0, userSizeBytes: 0, userWastedPercent: null },
    });
    const inf = syntheticAnalysis({
      dive: { efficiency: 0.5, wastedBytes: 10, userSizeBytes: 0, userWastedPercent: null },
    });
    const config = flagConfig({ highestUserWastedPercent: '0' });
    const nanRule = evaluateGate(nan, [], config).rules.find((r) => r.id === 'highestUserWastedPercent');
    const infRule = evaluateGate(inf, [], config).rules.find((r) => r.id === 'highestUserWastedPercent');
    expect(nanRule).toMatchObject({ status: 'PASS', value: null });
    expect(infRule).toMatchObject({ status: 'FAIL', value: null });
    expect(infRule?.message).toContain('infinite');
  });

  it('passes an empty image (efficiency 1, no layers)', () => {
    const empty = syntheticAnalysis({
      dive: { efficiency: 1, wastedBytes: 0, userSizeBytes: 0, userWastedPercent: null },
      layers: [],
      sizeBytes: 0,
      reclaimableBytes: 0,
    });
    const result = evaluateGate(
      empty,
      [],
      flagConfig({ 'max-layer-size': '0', 'max-reclaimable-percent': '0' }),
    );
    expect(result.passed).toBe(true);
  });

  it('takes the full .imgscope.yml example end to end', () => {
    const config = resolveGateConfig([
      parseImgscopeConfigFile('rules:\n  maxImageSize: 1MB\n  maxLayers: 2\n', '.imgscope.yml'),
    ]);
    const result = evaluateGate(a, [], config);
    expect(result.rules.map((r) => `${r.id}:${r.status}`)).toEqual([
      'lowestEfficiency:FAIL',
      'highestWastedBytes:SKIP',
      'highestUserWastedPercent:FAIL',
      'maxImageSize:PASS',
      'maxLayers:FAIL',
    ]);
    expect(result.configFiles).toEqual(['.imgscope.yml']);
  });
});
