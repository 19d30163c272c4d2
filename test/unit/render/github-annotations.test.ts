import { describe, expect, it } from 'vitest';
import { renderGithubAnnotations } from '../../../src/render/index.js';
import { diveDefaultGate, fullGate } from '../../helpers/gate-results.js';

describe('renderGithubAnnotations', () => {
  it('prints ::error for each failed rule, nothing for passes and skips', () => {
    expect(renderGithubAnnotations(diveDefaultGate(), 'img.tar')).toBe(
      '::error title=imgscope highestUserWastedPercent::img.tar: wasted share of user bytes 0.4835 (48.35%25) is above the threshold 0.1 (10.00%25)\n',
    );
  });

  it('prints findings, ::warning for WARN, and escapes newlines, % and property separators', () => {
    const lines = renderGithubAnnotations(fullGate(), 'app:1').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[4]).toBe(
      '::warning title=imgscope apt-lists-left-behind::app:1: apt package lists left in the image (layer 1)%0AAdd `&& rm -rf /var/lib/apt/lists/*` to the same RUN as apt-get install.',
    );
    expect(lines[5]?.startsWith('::error title=imgscope runs-as-root::')).toBe(true);
    expect(lines[0]).toContain('(80.00%25)');
  });

  it('prints nothing when nothing failed or warned', () => {
    const gate = { ...diveDefaultGate(), rules: [], findings: [] };
    expect(renderGithubAnnotations(gate, 'x')).toBe('');
  });
});
