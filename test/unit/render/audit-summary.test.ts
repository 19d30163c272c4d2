import { describe, expect, it } from 'vitest';
import { summarizeAudit } from '../../../src/audit/index.js';
import type { AuditRecord } from '../../../src/model/index.js';
import { renderAuditMarkdown, renderAuditTable } from '../../../src/render/index.js';

const hostile: AuditRecord = {
  schemaVersion: 1,
  reference: 'reg/app:1',
  repository: 'reg/app',
  status: 'ok',
  digest: null,
  id: null,
  user: 'app|<b>x</b>',
  sizeBytes: 2_000_000,
  compressedSizeBytes: 1_000_000,
  reclaimableBytes: 500_000,
  wastedBytes: 250_000,
  efficiency: 0.8,
  layers: [],
  findings: [
    { id: 'non-numeric-user', severity: 'warning', wastedBytes: 0, paths: [] },
    { id: 'secrets-in-image', severity: 'error', wastedBytes: 0, paths: ['/srv/.env\u001b[31m|`x`'] },
  ],
  gate: null,
  error: null,
};

describe('the audit summary as text', () => {
  const summary = summarizeAudit([hostile]);

  it('escapes image text on the terminal', () => {
    const text = renderAuditTable(summary);
    expect(text).toContain('  reg/app:1: /srv/.env\\u001b[31m|`x`\n');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('Images: 1 (1 audited, 0 failed)\n');
    expect(text).toContain('Total size: 2.0 MB, reclaimable 500 kB, wasted (dive) 250 kB\n');
  });

  it('keeps image text inert in Markdown tables', () => {
    const markdown = renderAuditMarkdown(summary);
    expect(markdown).toContain('| `reg/app:1` | `app\\|<b>x</b>` |');
    expect(markdown).toContain('| `reg/app:1` | `` /srv/.env\\u001b[31m\\|`x` `` |');
    expect(markdown).not.toContain('\u001b');
  });
});
