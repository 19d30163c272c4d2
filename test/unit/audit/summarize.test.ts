import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  failedRecord,
  latestRecords,
  parseRecordLines,
  recordLine,
  summarizeAudit,
} from '../../../src/audit/index.js';
import type { AuditRecord } from '../../../src/model/index.js';
import { renderAuditJson } from '../../../src/render/index.js';

function record(n: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    schemaVersion: 1,
    reference: `reg/app-${n % 3}:${n}`,
    repository: `reg/app-${n % 3}`,
    status: 'ok',
    digest: `sha256:${String(n).padStart(64, '0')}`,
    id: null,
    user: n % 2 === 0 ? '' : '1000',
    sizeBytes: 1000 + n,
    compressedSizeBytes: 500,
    reclaimableBytes: n * 10,
    wastedBytes: 100 - n,
    efficiency: 0.9,
    layers: [
      { diffId: 'sha256:base', sizeBytes: 800, compressedSizeBytes: 400 },
      { diffId: `sha256:own-${n}`, sizeBytes: 200 + n, compressedSizeBytes: 100 },
    ],
    findings: n % 2 === 0 ? [{ id: 'runs-as-root', severity: 'warning', wastedBytes: 0, paths: [] }] : [],
    gate: null,
    error: null,
    ...extra,
  };
}

describe('the fleet summary', () => {
  const records = Array.from({ length: 8 }, (_, i) => record(i));

  it('ranks, counts and finds the shared base', () => {
    const summary = summarizeAudit(records, 3);
    expect(summary.images).toEqual({ total: 8, ok: 8, failed: 0 });
    expect(summary.topReclaimable.map((r) => r.bytes)).toEqual([70, 60, 50]);
    expect(summary.topWasted.map((r) => r.reference)).toEqual(['reg/app-0:0', 'reg/app-1:1', 'reg/app-2:2']);
    expect(summary.sharedLayers).toEqual([
      { diffId: 'sha256:base', images: 8, sizeBytes: 800, compressedSizeBytes: 400, fleetBytes: 6400 },
    ]);
    expect(summary.rootUser.map((u) => u.reference)).toEqual([
      'reg/app-0:0',
      'reg/app-0:6',
      'reg/app-1:4',
      'reg/app-2:2',
    ]);
    expect(summary.findings).toEqual([
      { id: 'runs-as-root', severity: 'warning', images: 4, wastedBytes: 0 },
    ]);
  });

  it('gives the same JSON bytes whatever the order and split of the records', () => {
    const expected = renderAuditJson(summarizeAudit(records));
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: 8, maxLength: 8 }), (shuffled) => {
        expect(renderAuditJson(summarizeAudit(shuffled))).toBe(expected);
      }),
    );
  });

  it('lists failures with their exit codes, and lets the last record of a reference stand', () => {
    const failed = failedRecord(
      { reference: 'reg/app-0:0', repository: 'reg/app-0' },
      { code: 'AUTH', exitCode: 3, message: 'denied' },
    );
    const latest = latestRecords([...records, failed]);
    const summary = summarizeAudit(latest.values());
    expect(summary.images).toEqual({ total: 8, ok: 7, failed: 1 });
    expect(summary.failures).toEqual([
      { reference: 'reg/app-0:0', code: 'AUTH', exitCode: 3, message: 'denied' },
    ]);
  });
});

describe('results lines', () => {
  it('round-trips records and ignores a last line cut short', () => {
    const text = recordLine(record(1)) + recordLine(record(2)) + recordLine(record(3)).slice(0, 40);
    const parsed = parseRecordLines(text);
    expect(parsed.records).toEqual([record(1), record(2)]);
    expect(parsed.badLines).toEqual([]);
    expect(parsed.completeBytes).toBe(Buffer.byteLength(recordLine(record(1)) + recordLine(record(2))));
  });

  it('counts complete lines that are not records', () => {
    const parsed = parseRecordLines(`{"x":1}\n${recordLine(record(1))}not json\n`);
    expect(parsed.records).toHaveLength(1);
    expect(parsed.badLines).toEqual([1, 3]);
  });
});
