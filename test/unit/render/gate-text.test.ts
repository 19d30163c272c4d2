import { describe, expect, it } from 'vitest';
import { renderGateText } from '../../../src/render/index.js';
import { diveDefaultGate, fullGate } from '../../helpers/gate-results.js';

describe('renderGateText', () => {
  it("prints dive's defaults on test-docker-image.tar like dive: a line per rule, then the summary", () => {
    expect(renderGateText(diveDefaultGate())).toBe(
      [
        'Gate (config: .dive-ci):',
        '  PASS  lowestEfficiency          image efficiency 0.9844 (98.44%) is within the threshold 0.9 (90.00%)',
        '  SKIP  highestWastedBytes        rule disabled',
        '  FAIL  highestUserWastedPercent  wasted share of user bytes 0.4835 (48.35%) is above the threshold 0.1 (10.00%)',
        'Result:FAIL [Total:3] [Passed:1] [Failed:1] [Warn:0] [Skipped:1]',
        '',
      ].join('\n'),
    );
  });

  it('lists findings after the rules and colours statuses on request', () => {
    const text = renderGateText(fullGate());
    expect(text).toContain(
      '  FAIL  maxImageSize              image size 100000 bytes (100 kB) is above the threshold 90000 bytes (90 kB)',
    );
    expect(text).toContain('  PASS  maxLayers ');
    expect(text).toContain(
      'Findings:\n  WARN  apt-lists-left-behind (warning, layer 1, 40.0 kB): apt package lists left in the image',
    );
    expect(text).toContain('  FAIL  runs-as-root (error): the image runs as root');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Result:FAIL [Total:6] [Passed:1] [Failed:4] [Warn:0] [Skipped:1]',
    );
    expect(renderGateText(fullGate(), { color: true })).toContain('\u001b[1;31mFAIL\u001b[0m');
    expect(text).not.toContain('\u001b[');
  });
});
