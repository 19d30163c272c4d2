import type { Finding, FindingsDiff, FindingsReport } from '../model/index.js';
import { stepKey } from './layers.js';

/**
 * Where a finding is, in terms that survive a rebuild, from the most to the least telling:
 * its evidence (the paths it names: the same cache files are the same problem, whichever RUN
 * line now leaves them), the step that caused it (its history text without build-specific
 * hashes), for findings about the config their title, and for findings without paths the rule.
 */
const KINDS = ['paths', 'step', 'title', 'rule'] as const;

function keyOf(finding: Finding, kind: (typeof KINDS)[number]): string | undefined {
  let where: string | undefined;
  if (kind === 'paths' && finding.paths.length > 0) {
    where = finding.paths
      .map((p) => p.path)
      .sort()
      .join('\n');
  } else if (kind === 'step' && finding.createdBy) {
    where = stepKey(finding.createdBy);
  } else if (kind === 'title' && finding.layerIndex === null) {
    where = finding.title;
  } else if (kind === 'rule' && finding.paths.length === 0) {
    // A finding about history or config with no evidence to compare (many-small-layers,
    // apt-install-recommends): the same rule still firing is the same problem, still there.
    where = '';
  }
  return where === undefined ? undefined : `${finding.id}|${kind}:${where}`;
}

/** The most telling key of a finding. */
export function findingKey(finding: Finding): string {
  for (const kind of KINDS) {
    const key = keyOf(finding, kind);
    if (key !== undefined) return key;
  }
  return `${finding.id}|`;
}

/**
 * Which findings a change fixed, which it introduced, and which it left. Findings of the same
 * rule are paired by evidence first, then by step, then by title or rule, each at most once: a
 * finding in both builds is unchanged even when its RUN line was edited.
 */
export function diffFindings(before: FindingsReport, after: FindingsReport): FindingsDiff {
  const unmatchedBefore = new Set(before.findings);
  const matchedAfter = new Set<Finding>();
  for (const kind of KINDS) {
    const byKey = new Map<string, Finding[]>();
    for (const finding of unmatchedBefore) {
      const key = keyOf(finding, kind);
      if (key === undefined) continue;
      byKey.set(key, [...(byKey.get(key) ?? []), finding]);
    }
    for (const finding of after.findings) {
      if (matchedAfter.has(finding)) continue;
      const key = keyOf(finding, kind);
      const candidate = key === undefined ? undefined : byKey.get(key)?.find((f) => unmatchedBefore.has(f));
      if (candidate === undefined) continue;
      unmatchedBefore.delete(candidate);
      matchedAfter.add(finding);
    }
  }
  return {
    fixed: before.findings.filter((finding) => unmatchedBefore.has(finding)),
    introduced: after.findings.filter((finding) => !matchedAfter.has(finding)),
    unchanged: after.findings.filter((finding) => matchedAfter.has(finding)),
    predictedSavingsBytes: before.summary.potentialSavingsBytes,
    remainingSavingsBytes: after.summary.potentialSavingsBytes,
  };
}
