import type {
  AuditFindingFrequency,
  AuditImageRank,
  AuditRecord,
  AuditSharedLayer,
  AuditSummary,
} from '../model/index.js';
import { compareText } from './select-tags.js';

export const DEFAULT_AUDIT_TOP = 10;

const ROOT_RULE = 'runs-as-root';
const NON_NUMERIC_RULE = 'non-numeric-user';
const SECRETS_RULE = 'secrets-in-image';

/**
 * The fleet summary of a set of records (one per reference). Every list is sorted on values
 * alone, never on the order records were written in, so any split into shards merges back to
 * the same summary, byte for byte.
 */
export function summarizeAudit(records: Iterable<AuditRecord>, top = DEFAULT_AUDIT_TOP): AuditSummary {
  const all = [...records].sort((a, b) => compareText(a.reference, b.reference));
  const ok = all.filter((record) => record.status === 'ok');
  const has = (record: AuditRecord, id: string): boolean => record.findings.some((f) => f.id === id);
  const gated = ok.filter((record) => record.gate !== null);
  return {
    images: { total: all.length, ok: ok.length, failed: all.length - ok.length },
    totals: {
      sizeBytes: sum(ok, (r) => r.sizeBytes),
      compressedSizeBytes: sum(ok, (r) => r.compressedSizeBytes ?? 0),
      reclaimableBytes: sum(ok, (r) => r.reclaimableBytes),
      wastedBytes: sum(ok, (r) => r.wastedBytes),
    },
    topReclaimable: ranked(ok, (r) => r.reclaimableBytes, top),
    topWasted: ranked(ok, (r) => r.wastedBytes, top),
    rootUser: ok.filter((r) => has(r, ROOT_RULE)).map((r) => ({ reference: r.reference, user: r.user })),
    nonNumericUser: ok
      .filter((r) => has(r, NON_NUMERIC_RULE))
      .map((r) => ({ reference: r.reference, user: r.user })),
    secrets: ok
      .filter((r) => has(r, SECRETS_RULE))
      .map((r) => ({
        reference: r.reference,
        paths: [...new Set(r.findings.filter((f) => f.id === SECRETS_RULE).flatMap((f) => f.paths))].sort(
          compareText,
        ),
      })),
    findings: findingFrequencies(ok),
    sharedLayers: sharedLayers(ok, top),
    gate:
      gated.length === 0
        ? null
        : {
            failed: gated
              .filter((r) => r.gate?.passed === false)
              .map((r) => ({ reference: r.reference, rules: [...(r.gate?.failed ?? [])] })),
          },
    failures: all
      .filter((r) => r.status === 'failed')
      .map((r) => ({
        reference: r.reference,
        code: r.error?.code ?? 'INTERNAL',
        exitCode: r.error?.exitCode ?? 70,
        message: r.error?.message ?? '',
      })),
  };
}

function sum(records: readonly AuditRecord[], value: (record: AuditRecord) => number): number {
  let total = 0;
  for (const record of records) total += value(record);
  return total;
}

/** Images with something to win, most first; ties by reference. */
function ranked(
  records: readonly AuditRecord[],
  bytes: (r: AuditRecord) => number,
  top: number,
): AuditImageRank[] {
  return records
    .filter((r) => bytes(r) > 0)
    .map((r) => ({ reference: r.reference, digest: r.digest, bytes: bytes(r) }))
    .sort((a, b) => b.bytes - a.bytes || compareText(a.reference, b.reference))
    .slice(0, top);
}

/** Each rule: how many images have it and the bytes its advice would save across them. */
function findingFrequencies(records: readonly AuditRecord[]): AuditFindingFrequency[] {
  const byId = new Map<string, AuditFindingFrequency>();
  for (const record of records) {
    const seen = new Set<string>();
    for (const finding of record.findings) {
      const entry = byId.get(finding.id) ?? {
        id: finding.id,
        severity: finding.severity,
        images: 0,
        wastedBytes: 0,
      };
      if (!seen.has(finding.id)) entry.images++;
      seen.add(finding.id);
      entry.wastedBytes += finding.wastedBytes;
      byId.set(finding.id, entry);
    }
  }
  return [...byId.values()].sort(
    (a, b) => b.images - a.images || b.wastedBytes - a.wastedBytes || compareText(a.id, b.id),
  );
}

/** Layers (by diff_id) that two or more images hold: the bases the fleet shares. */
function sharedLayers(records: readonly AuditRecord[], top: number): AuditSharedLayer[] {
  const byDiffId = new Map<string, AuditSharedLayer>();
  for (const record of records) {
    for (const layer of new Map(record.layers.map((l) => [l.diffId, l])).values()) {
      if (layer.diffId === null) continue;
      const entry = byDiffId.get(layer.diffId) ?? {
        diffId: layer.diffId,
        images: 0,
        sizeBytes: layer.sizeBytes,
        compressedSizeBytes: layer.compressedSizeBytes,
        fleetBytes: 0,
      };
      entry.images++;
      entry.fleetBytes += entry.sizeBytes;
      byDiffId.set(layer.diffId, entry);
    }
  }
  return [...byDiffId.values()]
    .filter((layer) => layer.images >= 2)
    .sort((a, b) => b.images - a.images || b.fleetBytes - a.fleetBytes || compareText(a.diffId, b.diffId))
    .slice(0, top);
}
