import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  parseDiveCiFile,
  parseGateFlags,
  parseImgscopeConfigFile,
  resolveGateConfig,
  THRESHOLD_FLAG_NAMES,
} from '../../../src/gate/index.js';

describe('parseGateFlags', () => {
  it("takes dive's flags and kebab-case ones for every threshold", () => {
    expect(THRESHOLD_FLAG_NAMES).toContain('lowestEfficiency');
    expect(THRESHOLD_FLAG_NAMES).toContain('highest-user-wasted-percent');
    expect(THRESHOLD_FLAG_NAMES).toContain('max-reclaimable-percent');
    const parsed = parseGateFlags({
      thresholds: { lowestEfficiency: '0.8', 'highest-wasted-bytes': '1MB', 'max-layers': '9' },
    });
    expect(parsed.issues).toEqual([]);
    expect(parsed.layer.thresholds).toEqual({
      lowestEfficiency: { value: 0.8, configured: '0.8', source: '--lowestEfficiency' },
      highestWastedBytes: { value: 1_000_000, configured: '1MB', source: '--highest-wasted-bytes' },
      maxLayers: { value: 9, configured: '9', source: '--max-layers' },
    });
  });

  it('refuses both spellings with different values, accepts them with the same value', () => {
    const conflict = parseGateFlags({ thresholds: { lowestEfficiency: '0.8', 'lowest-efficiency': '0.7' } });
    expect(conflict.issues[0]?.message).toContain('conflicts with --lowestEfficiency');
    const same = parseGateFlags({ thresholds: { lowestEfficiency: '0.8', 'lowest-efficiency': '0.8' } });
    expect(same.issues).toEqual([]);
  });

  it('reads the findings flags and reports every bad one', () => {
    const good = parseGateFlags({
      thresholds: {},
      failOn: 'warning',
      findingRules: ['runs-as-root=off', 'apt-lists=error'],
      ignorePaths: ['/usr/share/doc/**'],
      ignoreBaseLayers: '3',
    });
    expect(good.issues).toEqual([]);
    expect(good.layer).toMatchObject({
      failOn: 'warning',
      findingRules: { 'runs-as-root': 'off', 'apt-lists': 'error' },
      ignorePaths: ['/usr/share/doc/**'],
      ignoreBaseLayers: 3,
    });
    const bad = parseGateFlags({
      thresholds: { 'max-image-size': '1 XB', highestUserWastedPercent: '2' },
      failOn: 'always',
      findingRules: ['runs-as-root', 'x=loud'],
      ignoreBaseLayers: 'some',
    });
    expect(bad.issues.map((i) => i.source)).toEqual([
      '--highestUserWastedPercent',
      '--max-image-size',
      '--fail-on',
      '--finding-rule',
      '--finding-rule',
      '--ignore-base-layers',
    ]);
  });
});

describe('resolveGateConfig', () => {
  it("without any file or flag is dive's defaults, and only error findings gate", () => {
    const config = resolveGateConfig([]);
    expect(config.thresholds.lowestEfficiency).toEqual({ value: 0.9, configured: '0.9', source: 'default' });
    expect(config.thresholds.highestWastedBytes).toEqual({
      value: null,
      configured: null,
      source: 'default',
    });
    expect(config.thresholds.highestUserWastedPercent).toEqual({
      value: 0.1,
      configured: '0.1',
      source: 'default',
    });
    expect(config.thresholds.maxImageSize.value).toBeNull();
    expect(config.findings.failOn).toEqual({ value: 'error', source: 'default', implicit: true });
  });

  it('stacks defaults < .dive-ci < .imgscope.yml < flags, key by key', () => {
    const config = resolveGateConfig([
      parseDiveCiFile(
        'rules:\n  lowestEfficiency: 0.5\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: 0.3\n',
        '.dive-ci',
      ),
      parseImgscopeConfigFile(
        'rules:\n  highestWastedBytes: 2MB\n  maxLayers: 10\nfindings:\n  failOn: info\n  ignorePaths: [/a/**]\n  rules:\n    x: off\n',
        '.imgscope.yml',
      ),
      parseGateFlags({
        thresholds: { highestUserWastedPercent: 'off', 'max-layers': '12' },
        ignorePaths: ['/b/**'],
        findingRules: ['y=info'],
      }),
    ]);
    expect(config.thresholds.lowestEfficiency).toMatchObject({ value: 0.5, source: '.dive-ci' });
    expect(config.thresholds.highestWastedBytes).toMatchObject({ value: 2_000_000, source: '.imgscope.yml' });
    expect(config.thresholds.highestUserWastedPercent).toMatchObject({
      value: null,
      source: '--highestUserWastedPercent',
    });
    expect(config.thresholds.maxLayers).toMatchObject({ value: 12, source: '--max-layers' });
    expect(config.findings).toEqual({
      failOn: { value: 'info', source: '.imgscope.yml' },
      rules: { x: 'off', y: 'info' },
      ignorePaths: ['/a/**', '/b/**'],
      ignoreBaseLayers: 0,
    });
    expect(config.configFiles).toEqual(['.dive-ci', '.imgscope.yml']);
  });

  it('turns findings gating on with failOn error when other findings settings are given', () => {
    const config = resolveGateConfig([parseGateFlags({ thresholds: {}, ignoreBaseLayers: 'true' })]);
    expect(config.findings.failOn).toEqual({ value: 'error', source: 'default' });
  });

  it('throws one ConfigError listing the issues of every source', () => {
    const run = (): unknown =>
      resolveGateConfig([
        parseDiveCiFile('rules:\n  lowestEfficiency: 2\n', '.dive-ci'),
        parseImgscopeConfigFile('rules:\n  maxLayers: x\n', '.imgscope.yml'),
        parseGateFlags({ thresholds: { 'max-image-size': '1 XB' } }),
      ]);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/3 problems[\s\S]*\.dive-ci:2[\s\S]*\.imgscope\.yml:2[\s\S]*--max-image-size/);
  });
});
