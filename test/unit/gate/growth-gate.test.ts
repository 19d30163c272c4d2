import { describe, expect, it } from 'vitest';
import { evaluateGrowth, parseGrowthLimit } from '../../../src/gate/index.js';

describe('--max-growth', () => {
  it('parses sizes as .dive-ci does, and percentages of the before size', () => {
    expect(parseGrowthLimit('10MB')).toEqual({ ok: true, value: { kind: 'bytes', bytes: 10_000_000 } });
    expect(parseGrowthLimit('1MiB')).toEqual({ ok: true, value: { kind: 'bytes', bytes: 1_048_576 } });
    expect(parseGrowthLimit('5%')).toEqual({ ok: true, value: { kind: 'percent', fraction: 0.05 } });
    expect(parseGrowthLimit('%')).toMatchObject({ ok: false });
    expect(parseGrowthLimit('-5%')).toMatchObject({ ok: false });
    expect(parseGrowthLimit('5 parsecs')).toMatchObject({ ok: false });
  });

  it('fails only when the growth is strictly over the limit', () => {
    const limit = { kind: 'bytes', bytes: 100 } as const;
    expect(evaluateGrowth(1000, 1100, limit, '100B').passed).toBe(true);
    expect(evaluateGrowth(1000, 1101, limit, '100B')).toMatchObject({
      passed: false,
      rules: [{ id: 'maxGrowth', status: 'FAIL', value: 101, threshold: 100 }],
      summary: { total: 1, pass: 0, fail: 1, warn: 0, skip: 0 },
    });
    expect(evaluateGrowth(1000, 500, limit, '100B').rules[0]?.message).toBe(
      'image shrank by 500 B; allowed growth 100B (100 B)',
    );
  });

  it('takes a percentage of the before size', () => {
    const limit = { kind: 'percent', fraction: 0.05 } as const;
    expect(evaluateGrowth(2000, 2100, limit, '5%').passed).toBe(true);
    expect(evaluateGrowth(2000, 2101, limit, '5%').passed).toBe(false);
  });
});
