import { describe, expect, it } from 'vitest';
import { renderMarkdownGate } from '../../../src/render/index.js';
import { diveDefaultGate, fullGate } from '../../helpers/gate-results.js';

describe('renderMarkdownGate', () => {
  it('shows the verdict, a row per rule with value and threshold, and the summary', () => {
    const md = renderMarkdownGate(diveDefaultGate(), { reference: 'test-docker-image.tar' });
    expect(md).toBe(
      [
        '## imgscope gate: ❌ failed — `test-docker-image.tar`',
        '',
        '| Status | Rule | Value | Threshold | Details |',
        '| --- | --- | --- | --- | --- |',
        '| ✅ PASS | `lowestEfficiency` | 98.44 % | 90.00 % | image efficiency 0.9844 (98.44%) is within the threshold 0.9 (90.00%) |',
        '| ⏭️ SKIP | `highestWastedBytes` | 32.0 kB | disabled | rule disabled |',
        '| ❌ FAIL | `highestUserWastedPercent` | 48.35 % | 10.00 % | wasted share of user bytes 0.4835 (48.35%) is above the threshold 0.1 (10.00%) |',
        '',
        '**Result: FAIL** — 1 passed, 1 failed, 0 warnings, 1 skipped',
        '',
        'Configuration: `.dive-ci`',
        '',
      ].join('\n'),
    );
  });

  it('lists findings with their advice, escaping table syntax', () => {
    const md = renderMarkdownGate(fullGate(), { reference: 'app|1' });
    expect(md).toContain('`app|1`');
    expect(md).toContain('| ❌ FAIL | `maxImageSize` | 100 kB | 90kB (90000 bytes) |');
    expect(md).toContain('### Findings');
    expect(md).toContain(
      '| ❌ FAIL | **runs-as-root**: the image runs as root &lt;uid 0> & has no USER | error |  |  |  |',
    );
    expect(md).toContain('- **apt-lists-left-behind**: Add `&& rm -rf /var/lib/apt/lists/*` to the same RUN');
  });
});
