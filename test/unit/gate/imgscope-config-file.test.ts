import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { configErrorFor, parseImgscopeConfigFile, resolveGateConfig } from '../../../src/gate/index.js';
import { FULL_EXAMPLE } from '../../helpers/gate-fixtures.js';

describe('parseImgscopeConfigFile', () => {
  it('reads the full example', () => {
    const parsed = parseImgscopeConfigFile(FULL_EXAMPLE, '.imgscope.yml');
    expect(parsed.issues).toEqual([]);
    const { layer } = parsed;
    expect(Object.fromEntries(Object.entries(layer.thresholds).map(([k, v]) => [k, v?.value]))).toEqual({
      lowestEfficiency: 0.95,
      highestWastedBytes: 20_000_000,
      highestUserWastedPercent: 0.2,
      maxImageSize: 500_000_000,
      maxCompressedSize: 200 * 2 ** 20,
      maxLayerSize: 100_000_000,
      maxLayers: 20,
      maxReclaimableBytes: 50_000_000,
      maxReclaimablePercent: 0.1,
    });
    expect(layer.failOn).toBe('warning');
    expect(layer.findingRules).toEqual({ 'apt-lists-left-behind': 'error', 'runs-as-root': 'off' });
    expect(layer.ignorePaths).toEqual(['/usr/share/doc/**', '**/*.pyc']);
    expect(layer.ignoreBaseLayers).toBe(1);
  });

  it('accepts a .dive-ci file unchanged', () => {
    const parsed = parseImgscopeConfigFile(
      'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: disabled\n',
      'f',
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.layer.thresholds.lowestEfficiency?.value).toBe(0.95);
  });

  it('reports every invalid key and value at once, with file, line, key and why', () => {
    const text = `rules:
  lowestEfficiency: 1.5
  highestWastedBytes: 20 XB
  maxImageSze: 1GB
  maxLayers: many
  maxReclaimablePercent: 10%
findings:
  failOn: sometimes
  rules:
    runs-as-root: fatal
  ignorePaths:
    - ""
  ignoreBaseLayers: maybe
  colour: red
budgets: {}
`;
    const parsed = parseImgscopeConfigFile(text, 'app/.imgscope.yml');
    expect(parsed.issues.map((i) => `${i.line} ${i.key}`)).toEqual([
      '2 rules.lowestEfficiency',
      '3 rules.highestWastedBytes',
      '4 rules.maxImageSze',
      '5 rules.maxLayers',
      '6 rules.maxReclaimablePercent',
      '8 findings.failOn',
      '10 findings.rules.runs-as-root',
      '12 findings.ignorePaths[0]',
      '13 findings.ignoreBaseLayers',
      '14 findings.colour',
      '15 budgets',
    ]);
    expect(parsed.issues.find((i) => i.key === 'rules.maxImageSze')?.message).toContain(
      'did you mean maxImageSize?',
    );

    let error: unknown;
    try {
      resolveGateConfig([parsed]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.exitCode).toBe(2);
    expect(configError.message).toContain('11 problems');
    expect(configError.message).toContain(
      'app/.imgscope.yml:2: rules.lowestEfficiency: 1.5 is outside the allowed range 0..1',
    );
    expect(configError.message).toContain(
      'app/.imgscope.yml:3: rules.highestWastedBytes: "20 XB" has an unknown size unit "xb"',
    );
    expect(configError.message.split('\n')).toHaveLength(12);
  });

  it('reports duplicate keys and syntax errors', () => {
    const parsed = parseImgscopeConfigFile('rules:\n  maxLayers: 3\n  maxLayers: 4\n', 'f');
    expect(parsed.issues[0]).toMatchObject({ key: '(yaml)', line: 3 });
    expect(parsed.issues[0]?.message).toContain('unique');
  });

  it('follows YAML anchors and aliases', () => {
    const parsed = parseImgscopeConfigFile('rules:\n  maxImageSize: &size 1GB\n  maxLayerSize: *size\n', 'f');
    expect(parsed.issues).toEqual([]);
    expect(parsed.layer.thresholds.maxLayerSize?.value).toBe(1e9);
  });

  it('treats empty sections as unset', () => {
    const parsed = parseImgscopeConfigFile('rules:\nfindings:\n  failOn:\n', 'f');
    expect(parsed.issues).toEqual([]);
    const unknown = parseImgscopeConfigFile('budgets:\nfindings:\n  failsOn:\n', 'f');
    expect(unknown.issues.map((i) => i.key)).toEqual(['budgets', 'findings.failsOn']);
    expect(parsed.layer).toMatchObject({ thresholds: {} });
    expect(parsed.layer.failOn).toBeUndefined();
  });

  it('formats a single issue as one problem', () => {
    expect(configErrorFor([{ source: '--max-layers', key: 'maxLayers', message: 'bad' }]).message).toBe(
      'invalid gate configuration (1 problem; docs/ci.md describes every key):\n  --max-layers: maxLayers: bad',
    );
  });

  it('refuses finding rule ids it does not know, with the closest one', () => {
    const parsed = parseImgscopeConfigFile(
      'findings:\n  rules:\n    apt-list-left: off\n    runs-as-root: info\n',
      '.imgscope.yml',
      ['apt-lists-left', 'runs-as-root'],
    );
    expect(parsed.issues).toEqual([
      {
        source: '.imgscope.yml',
        line: 3,
        key: 'findings.rules.apt-list-left',
        message: 'unknown finding rule (did you mean apt-lists-left?); see imgscope rules',
      },
    ]);
    expect(parsed.layer.findingRules).toEqual({ 'runs-as-root': 'info' });
  });
});
