import type {
  Analysis,
  Finding,
  FindingSeverity,
  FindingsReport,
  RuleInfo,
  RuleSettings,
} from '../model/index.js';
import { entryKey } from './layer-timeline.js';
import { RULES } from './registry.js';
import { combineFixes } from './step-fixes.js';
import {
  DEFAULT_RULE_OPTIONS,
  SEVERITY_RANK,
  type Rule,
  type RuleContext,
  type RuleFinding,
  type RuleOptions,
  worthBytes,
} from './rule.js';

export const NO_RULE_SETTINGS: RuleSettings = { disabled: new Set(), severity: new Map() };

/**
 * Runs the enabled rules and ranks what they find: severity first, then bytes saved. Specific
 * rules run before general ones, which leave out the entries specific findings claimed, so each
 * stored byte is explained once where it can be; the summary adds up distinct claimed entries
 * (two specific findings may claim the same entry: an archive that is also a temp file).
 */
export function findProblems(
  analysis: Analysis,
  settings: RuleSettings = NO_RULE_SETTINGS,
  options: Partial<RuleOptions> = {},
  rules: readonly Rule[] = RULES,
): FindingsReport {
  const resolved: RuleOptions = { ...DEFAULT_RULE_OPTIONS, ...options };
  const enabled = rules.filter((rule) => !settings.disabled.has(rule.id));
  const claimed = new Map<number, number>();
  const found: RuleFinding[] = [];
  const claim = (finding: RuleFinding): void => {
    for (const c of finding.claims) claimed.set(entryKey(c.layer, c.index), c.bytes);
    found.push(finding);
  };

  const worth = worthBytes(analysis, resolved);
  const graded = (rule: Rule, finding: RuleFinding): RuleFinding =>
    rule.bySize === true && finding.wastedBytes < worth
      ? { ...finding, severity: 'info' }
      : withSeverity(finding, settings);

  const none: RuleContext = { claimed: new Set() };
  for (const rule of enabled.filter((r) => r.general !== true)) {
    for (const finding of rule.detect(analysis, resolved, none)) claim(graded(rule, finding));
  }
  const specific: RuleContext = { claimed: new Set(claimed.keys()) };
  for (const rule of enabled.filter((r) => r.general === true)) {
    for (const finding of rule.detect(analysis, resolved, specific)) claim(graded(rule, finding));
  }

  found.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.wastedBytes - a.wastedBytes ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      (a.layerIndex ?? -1) - (b.layerIndex ?? -1),
  );
  const findingCounts: Record<FindingSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of found) findingCounts[finding.severity]++;
  let potentialSavingsBytes = 0;
  for (const bytes of claimed.values()) potentialSavingsBytes += bytes;
  const { fixes, fixOf } = combineFixes(analysis, found);
  return {
    // Each finding's Dockerfile change is the combined fix of its step: following it settles
    // this finding and the others on that step.
    findings: found.map((finding, index) => {
      const fix = fixes[fixOf[index] ?? -1];
      const plain = withoutClaims(finding);
      return fix === undefined
        ? plain
        : { ...plain, advice: { ...plain.advice, dockerfile: { before: fix.before, after: fix.after } } };
    }),
    fixes,
    summary: { potentialSavingsBytes, findingCounts },
  };
}

function withSeverity(finding: RuleFinding, settings: RuleSettings): RuleFinding {
  const severity = settings.severity.get(finding.id);
  return severity === undefined ? finding : { ...finding, severity };
}

/** The finding as reports see it: without the engine's claims and edit. */
function withoutClaims(finding: RuleFinding): Finding {
  const copy: Finding & { claims?: unknown; edit?: unknown } = { ...finding };
  delete copy.claims;
  delete copy.edit;
  return copy;
}

/** What `imgscope rules` lists, with the settings' severities applied. */
export function describeRules(
  settings: RuleSettings = NO_RULE_SETTINGS,
  rules: readonly Rule[] = RULES,
): RuleInfo[] {
  return rules.map((rule) => ({
    id: rule.id,
    severity: settings.severity.get(rule.id) ?? rule.severity,
    title: rule.title,
    description: rule.description,
    related: [...rule.related],
  }));
}
