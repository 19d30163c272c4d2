import type { Analysis, AuditFailure, AuditRecord, FindingsReport, GateResult } from '../model/index.js';

/** Findings whose paths the fleet summary lists (where a secret can still be extracted). */
const PATHS_KEPT_FOR = new Set(['secrets-in-image']);

/** What the fleet summary needs of an image's analysis: a few hundred bytes, not the analysis. */
export function auditRecord(
  target: { reference: string; repository: string },
  analysis: Analysis,
  findings: FindingsReport,
  gate: GateResult | null,
): AuditRecord {
  return {
    schemaVersion: 1,
    reference: target.reference,
    repository: target.repository,
    status: 'ok',
    digest: analysis.image.digest,
    id: analysis.image.id,
    user: analysis.image.user,
    sizeBytes: analysis.sizeBytes,
    compressedSizeBytes: analysis.compressedSizeBytes,
    reclaimableBytes: analysis.reclaimableBytes,
    wastedBytes: analysis.dive.wastedBytes,
    efficiency: analysis.dive.efficiency,
    layers: analysis.layers.map((layer) => ({
      diffId: layer.diffId,
      sizeBytes: layer.sizeBytes,
      compressedSizeBytes: layer.compressedSizeBytes,
    })),
    findings: findings.findings.map((finding) => ({
      id: finding.id,
      severity: finding.severity,
      wastedBytes: finding.wastedBytes,
      paths: PATHS_KEPT_FOR.has(finding.id) ? finding.paths.map((p) => p.path) : [],
    })),
    gate:
      gate === null
        ? null
        : {
            passed: gate.passed,
            failed: [
              ...gate.rules.filter((rule) => rule.status === 'FAIL').map((rule) => rule.id),
              ...gate.findings.filter((finding) => finding.status === 'FAIL').map((finding) => finding.id),
            ],
          },
    error: null,
  };
}

/** An image that could not be audited (unreadable repository, missing tag, bad layer...). */
export function failedRecord(
  target: { reference: string; repository: string },
  error: AuditFailure,
  digest: string | null = null,
): AuditRecord {
  return {
    schemaVersion: 1,
    reference: target.reference,
    repository: target.repository,
    status: 'failed',
    digest,
    id: null,
    user: '',
    sizeBytes: 0,
    compressedSizeBytes: null,
    reclaimableBytes: 0,
    wastedBytes: 0,
    efficiency: 1,
    layers: [],
    findings: [],
    gate: null,
    error,
  };
}
