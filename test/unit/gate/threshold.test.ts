import { describe, expect, it } from 'vitest';
import { isDisabledText, parseGoFloat, parseThreshold, thresholdRuleSpec } from '../../../src/gate/index.js';

describe('isDisabledText', () => {
  it("is dive's list: empty, disabled, off, false, any case, trimmed", () => {
    for (const t of ['', '  ', 'disabled', 'DISABLED', 'off', 'Off', 'false', ' FALSE '])
      expect(isDisabledText(t), t).toBe(true);
    for (const t of ['0', 'no', 'none', 'disable', '0.9']) expect(isDisabledText(t), t).toBe(false);
  });
});

describe('parseGoFloat', () => {
  it('accepts the decimal forms strconv.ParseFloat accepts', () => {
    const cases: [string, number][] = [
      ['0.9', 0.9],
      ['.95', 0.95],
      ['1', 1],
      ['+0.5', 0.5],
      ['9.5e-1', 0.95],
      ['1.', 1],
      ['-0', -0],
    ];
    for (const [text, n] of cases) expect(parseGoFloat(text)).toEqual({ ok: true, value: n });
    expect(parseGoFloat('Inf')).toEqual({ ok: true, value: Infinity });
    expect(parseGoFloat('-infinity')).toEqual({ ok: true, value: -Infinity });
  });
  it('refuses what it refuses', () => {
    for (const t of ['', ' 0.9', '0.9 ', '0,9', '90%', 'abc', '1e', '.'])
      expect(parseGoFloat(t).ok, t).toBe(false);
  });
});

describe('parseThreshold', () => {
  const efficiency = thresholdRuleSpec('lowestEfficiency');
  const wasted = thresholdRuleSpec('highestWastedBytes');
  const layers = thresholdRuleSpec('maxLayers');

  it('reads fractions in 0..1 inclusive and refuses the rest (as dive: 1.1, -0.1, not_a_number)', () => {
    expect(parseThreshold(efficiency, '0', 'f')).toMatchObject({ ok: true, value: { value: 0 } });
    expect(parseThreshold(efficiency, '1', 'f')).toMatchObject({ ok: true, value: { value: 1 } });
    for (const t of ['1.1', '-0.1', 'not_a_number', 'NaN', 'inf', '95%']) {
      expect(parseThreshold(efficiency, t, 'f').ok, t).toBe(false);
    }
  });

  it('disables a rule with the disabled words and keeps what was written', () => {
    expect(parseThreshold(wasted, 'off', '.dive-ci')).toEqual({
      ok: true,
      value: { value: null, configured: 'off', source: '.dive-ci' },
    });
  });

  it('reads sizes with units and whole numbers of layers', () => {
    expect(parseThreshold(wasted, '20MB', 'x')).toMatchObject({
      ok: true,
      value: { value: 20_000_000, configured: '20MB' },
    });
    expect(parseThreshold(wasted, 'not_a_size', 'x').ok).toBe(false);
    expect(parseThreshold(layers, '12', 'x')).toMatchObject({ ok: true, value: { value: 12 } });
    for (const t of ['1.5', '-1', 'ten', '1e3']) expect(parseThreshold(layers, t, 'x').ok, t).toBe(false);
  });
});
