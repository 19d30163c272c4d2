import { describe, expect, it } from 'vitest';
import { renderMarkdownGate } from '../../../src/render/index.js';
import {
  evaluateGate,
  parseGateFlags,
  resolveGateConfig,
  type GateFinding,
} from '../../../src/gate/index.js';
import { syntheticAnalysis } from '../../helpers/gate-fixtures.js';
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
      '| ❌ FAIL | **runs-as-root**: the image runs as root \\<uid 0\\> \\& has no USER | error |  |  |  |',
    );
    expect(md).toContain(
      '- **apt-lists-left-behind**: Add \\`\\&\\& rm -rf /var/lib/apt/lists/\\*\\` to the same RUN',
    );
  });

  it('renders untrusted text as written: HTML, emphasis, code and pipes in every cell (golden)', async () => {
    // What an image can put in a finding: a title from history, paths, advice with a Dockerfile.
    const hostile: GateFinding = {
      id: 'deleted-in-later-layer',
      severity: 'error',
      title: '<h1>Owned</h1> *bold* _italic_ `code` [link](http://x) a|b',
      layerIndex: 2,
      wastedBytes: 1_000,
      paths: ['/app/<script>.js', '/app/a|b_c*d`e', '/app/__init__.py', '/app/#1', '/app/~x'].map((path) => ({
        path,
        sizeBytes: 0,
      })),
      advice: {
        text: 'Merge layer 3 (RUN rm /app/*.tmp) into layer 2 (RUN echo `id` > /app/_x_)',
        dockerfile: {
          before: 'RUN a\nRUN b',
          after: 'RUN echo ```id``` > /app/_x_ \\\n    && rm /app/*.tmp',
        },
      },
    };
    const gate = evaluateGate(
      syntheticAnalysis(),
      [hostile],
      resolveGateConfig([parseGateFlags({ thresholds: {} })]),
    );
    const md = renderMarkdownGate(gate, { reference: 'registry.example/app:`v1`|x' });
    await expect(md).toMatchFileSnapshot('../../golden/markdown-gate-escaping.md');
  });
});
