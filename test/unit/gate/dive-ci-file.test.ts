import { describe, expect, it } from 'vitest';
import { parseDiveCiFile, resolveGateConfig } from '../../../src/gate/index.js';

// dive's README example, with the thresholds the issue names.
const DIVE_EXAMPLE = `rules:
  # If the efficiency is measured below X%, mark as failed.
  # Expressed as a ratio between 0-1.
  lowestEfficiency: 0.95

  # If the amount of wasted space is at least X or larger than X, mark as failed.
  # Expressed in B, KB, MB, and GB.
  highestWastedBytes: 20MB

  # If the amount of wasted space makes up for X% or more of the image, mark as failed.
  highestUserWastedPercent: 0.5
`;

describe('parseDiveCiFile', () => {
  it("reads dive's example file", () => {
    const parsed = parseDiveCiFile(DIVE_EXAMPLE, '.dive-ci');
    expect(parsed.issues).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.layer.thresholds).toEqual({
      lowestEfficiency: { value: 0.95, configured: '0.95', source: '.dive-ci' },
      highestWastedBytes: { value: 20_000_000, configured: '20MB', source: '.dive-ci' },
      highestUserWastedPercent: { value: 0.5, configured: '0.5', source: '.dive-ci' },
    });
  });

  it("keeps dive's defaults (0.9, disabled, 0.1) for keys the file leaves out", () => {
    const config = resolveGateConfig([parseDiveCiFile('rules:\n  highestWastedBytes: 1MiB\n', '.dive-ci')]);
    expect(config.thresholds.lowestEfficiency).toMatchObject({ value: 0.9, source: 'default' });
    expect(config.thresholds.highestWastedBytes).toMatchObject({ value: 1_048_576, source: '.dive-ci' });
    expect(config.thresholds.highestUserWastedPercent).toMatchObject({ value: 0.1, source: 'default' });
  });

  it('disables rules with disabled/off/false/empty/null', () => {
    const text =
      'rules:\n  lowestEfficiency: disabled\n  highestWastedBytes:\n  highestUserWastedPercent: false\n';
    const parsed = parseDiveCiFile(text, '.dive-ci');
    expect(parsed.issues).toEqual([]);
    for (const id of ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const) {
      expect(parsed.layer.thresholds[id]?.value, id).toBeNull();
    }
    expect(
      parseDiveCiFile('rules:\n  lowestEfficiency: off\n  highestUserWastedPercent: ~\n', 'f').layer
        .thresholds,
    ).toMatchObject({
      lowestEfficiency: { value: null },
      highestUserWastedPercent: { value: null },
    });
  });

  it('ignores keys dive does not know, with a warning, as dive ignores them', () => {
    const parsed = parseDiveCiFile('rules:\n  lowestEfficency: 0.5\nother: 1\n', '.dive-ci');
    expect(parsed.issues).toEqual([]);
    expect(parsed.layer.thresholds).toEqual({});
    expect(parsed.warnings).toHaveLength(2);
    expect(parsed.warnings[0]).toContain('.dive-ci:2: rules.lowestEfficency is not one of dive');
  });

  it('reports every bad value with its line', () => {
    const text =
      'rules:\n  lowestEfficiency: 1.1\n  highestWastedBytes: 20 XB\n  highestUserWastedPercent: [0.1]\n';
    const parsed = parseDiveCiFile(text, 'ci/.dive-ci');
    expect(parsed.issues.map((i) => [i.line, i.key])).toEqual([
      [2, 'rules.lowestEfficiency'],
      [3, 'rules.highestWastedBytes'],
      [4, 'rules.highestUserWastedPercent'],
    ]);
  });

  it('reports YAML syntax errors and a file that is not a mapping', () => {
    expect(parseDiveCiFile('rules: [\n', 'f').issues[0]?.key).toBe('(yaml)');
    expect(parseDiveCiFile('- a\n', 'f').issues[0]?.key).toBe('(root)');
    expect(parseDiveCiFile('', 'f')).toMatchObject({ issues: [], layer: { thresholds: {} } });
  });
});
