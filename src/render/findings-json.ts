import type { FindingsReport } from '../model/index.js';

/** The fields findings add to the JSON report (schemaVersion 1: fields are only ever added). */
export function findingsToJson(report: FindingsReport): {
  findings: unknown[];
  fixes: unknown[];
  summary: unknown;
} {
  return {
    findings: report.findings.map((finding) => ({
      id: finding.id,
      severity: finding.severity,
      title: finding.title,
      message: finding.message,
      layerIndex: finding.layerIndex,
      createdBy: finding.createdBy,
      wastedBytes: finding.wastedBytes,
      paths: finding.paths,
      pathsOmitted: finding.pathsOmitted,
      advice: finding.advice,
    })),
    fixes: report.fixes.map((fix) => ({
      step: fix.step,
      layers: fix.layers,
      before: fix.before,
      after: fix.after,
      findings: fix.findings,
      savingsBytes: fix.savingsBytes,
    })),
    summary: {
      potentialSavingsBytes: report.summary.potentialSavingsBytes,
      findingCounts: report.summary.findingCounts,
    },
  };
}
