import { describe, expect, it } from 'vitest';
import {
  evaluateGate,
  gateFindings,
  parseGateFlags,
  resolveGateConfig,
  type GateFinding,
} from '../../../src/gate/index.js';
import { syntheticAnalysis } from '../../helpers/gate-fixtures.js';

const FINDINGS: GateFinding[] = [
  {
    id: 'apt-lists-left-behind',
    severity: 'warning',
    title: 'apt package lists left in the image',
    layerIndex: 1,
    wastedBytes: 4000,
    paths: [
      { path: '/var/lib/apt/lists/a', sizeBytes: 0 },
      { path: '/var/lib/apt/lists/b', sizeBytes: 0 },
    ],
    advice: { text: 'rm -rf /var/lib/apt/lists/* in the same RUN' },
  },
  {
    id: 'runs-as-root',
    severity: 'error',
    title: 'the image runs as root',
    layerIndex: null,
    wastedBytes: 0,
    paths: [],
  },
  {
    id: 'docs-shipped',
    severity: 'info',
    title: 'documentation shipped',
    layerIndex: 0,
    wastedBytes: 900,
    paths: [{ path: '/usr/share/doc/x', sizeBytes: 0 }],
  },
];

const config = (flags: Parameters<typeof parseGateFlags>[0]) =>
  resolveGateConfig([parseGateFlags(flags)]).findings;

describe('gateFindings', () => {
  it("fails on error findings by default, listing only those, and is dive's gate without one", () => {
    expect(gateFindings(FINDINGS, resolveGateConfig([]).findings).map((f) => `${f.id}:${f.status}`)).toEqual([
      'runs-as-root:FAIL',
    ]);
    const result = evaluateGate(syntheticAnalysis(), FINDINGS, resolveGateConfig([]));
    expect(result.passed).toBe(false);
    expect(result.rules.find((r) => r.id === 'failOn')).toMatchObject({
      status: 'FAIL',
      source: 'default',
      message: '1 finding of severity error or worse: runs-as-root',
    });
    const clean = evaluateGate(syntheticAnalysis(), FINDINGS.slice(0, 1), resolveGateConfig([]));
    expect(clean.findings).toEqual([]);
    expect(clean.rules.map((r) => r.id)).not.toContain('failOn');
  });

  it('fails findings at or above failOn and warns about the others', () => {
    const byStatus = (failOn: string) =>
      gateFindings(FINDINGS, config({ thresholds: {}, failOn })).map((f) => `${f.id}:${f.status}`);
    expect(byStatus('error')).toEqual([
      'apt-lists-left-behind:WARN',
      'runs-as-root:FAIL',
      'docs-shipped:WARN',
    ]);
    expect(byStatus('warning')).toEqual([
      'apt-lists-left-behind:FAIL',
      'runs-as-root:FAIL',
      'docs-shipped:WARN',
    ]);
    expect(byStatus('info')).toEqual([
      'apt-lists-left-behind:FAIL',
      'runs-as-root:FAIL',
      'docs-shipped:FAIL',
    ]);
    expect(byStatus('never')).toEqual([
      'apt-lists-left-behind:WARN',
      'runs-as-root:WARN',
      'docs-shipped:WARN',
    ]);
  });

  it('turns rules off and overrides severities', () => {
    const gated = gateFindings(
      FINDINGS,
      config({ thresholds: {}, failOn: 'error', findingRules: ['runs-as-root=off', 'docs-shipped=error'] }),
    );
    expect(gated.map((f) => `${f.id}:${f.severity}:${f.status}`)).toEqual([
      'apt-lists-left-behind:warning:WARN',
      'docs-shipped:error:FAIL',
    ]);
  });

  it('drops findings whose paths are all ignored, keeps the rest of a partly ignored one', () => {
    const gated = gateFindings(
      FINDINGS,
      config({ thresholds: {}, failOn: 'info', ignorePaths: ['usr/share/doc/**', '/var/lib/apt/lists/a'] }),
    );
    expect(gated.map((f) => [f.id, f.paths])).toEqual([
      ['apt-lists-left-behind', ['/var/lib/apt/lists/b']],
      ['runs-as-root', []],
    ]);
  });

  it('ignores findings of the base layers', () => {
    const ids = (n: string) =>
      gateFindings(FINDINGS, config({ thresholds: {}, ignoreBaseLayers: n })).map((f) => f.id);
    expect(ids('true')).toEqual(['apt-lists-left-behind', 'runs-as-root']);
    expect(ids('2')).toEqual(['runs-as-root']);
    expect(ids('false')).toEqual(['apt-lists-left-behind', 'runs-as-root', 'docs-shipped']);
  });
});

describe('evaluateGate with findings', () => {
  it('adds a failOn rule that fails the gate when a finding fails', () => {
    const result = evaluateGate(
      syntheticAnalysis(),
      FINDINGS,
      resolveGateConfig([
        parseGateFlags({
          thresholds: { lowestEfficiency: 'off', highestUserWastedPercent: 'off' },
          failOn: 'warning',
        }),
      ]),
    );
    expect(result.passed).toBe(false);
    const rule = result.rules.find((r) => r.id === 'failOn');
    expect(rule).toMatchObject({
      kind: 'findings',
      status: 'FAIL',
      value: 2,
      threshold: 'warning',
      source: 'flags',
    });
    expect(rule?.message).toBe(
      '2 findings of severity warning or worse, 4000 bytes (4.0 kB) to win: apt-lists-left-behind, runs-as-root',
    );
    expect(result.findings).toHaveLength(3);
  });

  it('passes with WARN when findings are below failOn, and SKIPs the rule for never', () => {
    const thresholds = { lowestEfficiency: 'off', highestUserWastedPercent: 'off' };
    const warn = evaluateGate(
      syntheticAnalysis(),
      [FINDINGS[2]!],
      resolveGateConfig([parseGateFlags({ thresholds, failOn: 'error' })]),
    );
    expect(warn.passed).toBe(true);
    expect(warn.rules.find((r) => r.id === 'failOn')?.status).toBe('WARN');
    expect(warn.summary).toMatchObject({ warn: 1, fail: 0 });
    const never = evaluateGate(
      syntheticAnalysis(),
      FINDINGS,
      resolveGateConfig([parseGateFlags({ thresholds, failOn: 'never' })]),
    );
    expect(never.passed).toBe(true);
    expect(never.rules.find((r) => r.id === 'failOn')?.status).toBe('SKIP');
  });
});
