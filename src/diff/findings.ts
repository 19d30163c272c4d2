import type { Finding, FindingsDiff, FindingsReport } from '../model/index.js';
import { stepKey } from './layers.js';

/**
 * Where a finding is, in terms that survive a rebuild: the step that caused it (its history
 * text without build-specific hashes), or else the largest path it names.
 */
export function findingKey(finding: Finding): string {
  const where = finding.createdBy
    ? `step:${stepKey(finding.createdBy)}`
    : `path:${finding.paths[0]?.path ?? ''}`;
  return `${finding.id}|${where}`;
}

/** Which findings a change fixed, which it introduced, and which it left. */
export function diffFindings(before: FindingsReport, after: FindingsReport): FindingsDiff {
  const afterKeys = new Set(after.findings.map(findingKey));
  const beforeKeys = new Set(before.findings.map(findingKey));
  return {
    fixed: before.findings.filter((finding) => !afterKeys.has(findingKey(finding))),
    introduced: after.findings.filter((finding) => !beforeKeys.has(findingKey(finding))),
    unchanged: after.findings.filter((finding) => beforeKeys.has(findingKey(finding))),
    predictedSavingsBytes: before.summary.potentialSavingsBytes,
    remainingSavingsBytes: after.summary.potentialSavingsBytes,
  };
}
