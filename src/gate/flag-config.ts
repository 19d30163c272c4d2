import { unknownRuleReason } from './closest-word.js';
import type { ConfigIssue, FindingRuleSetting, GateConfigLayer, ParsedConfigLayer } from './gate-config.js';
import {
  checkIgnoreGlob,
  isFindingRuleId,
  parseFailOn,
  parseFindingRuleSetting,
  parseIgnoreBaseLayers,
} from './finding-settings.js';
import { THRESHOLD_RULES } from './rule-catalog.js';
import { parseThreshold } from './threshold.js';

/** Gate settings as given on the command line, before parsing (flag name without dashes -> text). */
export interface GateFlagValues {
  thresholds: Readonly<Record<string, string | undefined>>;
  failOn?: string;
  /** `ID=off|error|warning|info`, repeatable. */
  findingRules?: readonly string[];
  ignorePaths?: readonly string[];
  ignoreBaseLayers?: string;
}

/**
 * Reads the gate flags: each threshold rule has dive's flag (`--lowestEfficiency`) and a
 * kebab-case one (`--lowest-efficiency`); giving both with different values is an error.
 */
export function parseGateFlags(
  flags: GateFlagValues,
  /** The finding rule ids `--finding-rule` may name (none given: any well-formed id). */
  knownFindingRules: readonly string[] = [],
): ParsedConfigLayer {
  const layer: GateConfigLayer = { source: 'flags', thresholds: {} };
  const issues: ConfigIssue[] = [];
  for (const spec of THRESHOLD_RULES) {
    const given = spec.flags.flatMap((name) => {
      const value = flags.thresholds[name];
      return value === undefined ? [] : [{ name, value }];
    });
    const first = given[0];
    if (first === undefined) continue;
    const conflicting = given.find((g) => g.value !== first.value);
    if (conflicting !== undefined) {
      issues.push({
        source: `--${conflicting.name}`,
        key: spec.id,
        message: `conflicts with --${first.name} (${JSON.stringify(first.value)} vs ${JSON.stringify(conflicting.value)})`,
      });
      continue;
    }
    const parsed = parseThreshold(spec, first.value, `--${first.name}`);
    if (parsed.ok) layer.thresholds[spec.id] = parsed.value;
    else issues.push({ source: `--${first.name}`, key: spec.id, message: parsed.reason });
  }

  if (flags.failOn !== undefined) {
    const parsed = parseFailOn(flags.failOn);
    if (parsed.ok) layer.failOn = parsed.value;
    else issues.push({ source: '--fail-on', key: 'findings.failOn', message: parsed.reason });
  }
  if (flags.findingRules !== undefined && flags.findingRules.length > 0) {
    const rules: Record<string, FindingRuleSetting> = {};
    for (const text of flags.findingRules) {
      const eq = text.indexOf('=');
      const id = eq < 0 ? '' : text.slice(0, eq).trim();
      const setting = parseFindingRuleSetting(eq < 0 ? '' : text.slice(eq + 1));
      if (eq < 0 || !isFindingRuleId(id)) {
        issues.push({
          source: '--finding-rule',
          key: 'findings.rules',
          message: `"${text}" is not ID=off|error|warning|info`,
        });
      } else if (unknownRuleReason(id, knownFindingRules) !== undefined) {
        issues.push({
          source: '--finding-rule',
          key: `findings.rules.${id}`,
          message: unknownRuleReason(id, knownFindingRules) ?? '',
        });
      } else if (!setting.ok) {
        issues.push({ source: '--finding-rule', key: `findings.rules.${id}`, message: setting.reason });
      } else {
        rules[id] = setting.value;
      }
    }
    layer.findingRules = rules;
  }
  if (flags.ignorePaths !== undefined && flags.ignorePaths.length > 0) {
    const globs: string[] = [];
    for (const glob of flags.ignorePaths) {
      const parsed = checkIgnoreGlob(glob);
      if (parsed.ok) globs.push(parsed.value);
      else issues.push({ source: '--ignore-path', key: 'findings.ignorePaths', message: parsed.reason });
    }
    layer.ignorePaths = globs;
  }
  if (flags.ignoreBaseLayers !== undefined) {
    const parsed = parseIgnoreBaseLayers(flags.ignoreBaseLayers);
    if (parsed.ok) layer.ignoreBaseLayers = parsed.value;
    else
      issues.push({
        source: '--ignore-base-layers',
        key: 'findings.ignoreBaseLayers',
        message: parsed.reason,
      });
  }
  return { layer, issues, warnings: [] };
}

/** Every flag name (without dashes) that sets a threshold, for the command to declare. */
export const THRESHOLD_FLAG_NAMES: readonly string[] = THRESHOLD_RULES.flatMap((r) => r.flags);
