import { didYouMean, unknownRuleReason } from './closest-word.js';
import type { ConfigIssue, GateConfigLayer, ParsedConfigLayer } from './gate-config.js';
import {
  checkIgnoreGlob,
  isFindingRuleId,
  parseFailOn,
  parseFindingRuleSetting,
  parseIgnoreBaseLayers,
} from './finding-settings.js';
import { isThresholdRuleId, thresholdRuleSpec, THRESHOLD_RULE_IDS } from './rule-catalog.js';
import { parseThreshold } from './threshold.js';
import { parseYamlTree, scalarText, type YamlEntry, type YamlNode } from './yaml-tree.js';

const TOP_KEYS = ['rules', 'findings'] as const;
const FINDINGS_KEYS = ['failOn', 'rules', 'ignorePaths', 'ignoreBaseLayers'] as const;

/**
 * Reads `.imgscope.yml`: `rules:` takes dive's three rules (so a `.dive-ci` is a valid
 * `.imgscope.yml`) and the size budgets; `findings:` says how findings gate. Unlike `.dive-ci`,
 * unknown keys are errors: a typo in a budget must not silently turn the budget off.
 * Every problem is collected, none stops the reading.
 */
export function parseImgscopeConfigFile(
  text: string,
  file: string,
  /** The finding rule ids `findings.rules` may name (none given: any well-formed id). */
  knownFindingRules: readonly string[] = [],
): ParsedConfigLayer {
  const layer: GateConfigLayer = { source: file, file, thresholds: {} };
  const issues: ConfigIssue[] = [];
  const issue = (line: number | undefined, key: string, message: string): void => {
    issues.push({ source: file, ...(line === undefined ? {} : { line }), key, message });
  };
  const { root, errors } = parseYamlTree(text);
  for (const e of errors) issue(e.line, '(yaml)', e.message);
  if (root === null) return { layer, issues, warnings: [] };
  if (root.kind !== 'map') {
    issue(root.line, '(root)', 'must be a mapping with rules: and/or findings: sections');
    return { layer, issues, warnings: [] };
  }

  for (const entry of root.entries) {
    if (entry.key !== 'rules' && entry.key !== 'findings') {
      const hint = didYouMean(entry.key, TOP_KEYS);
      issue(entry.line, entry.key, `unknown key${hint}; expected ${TOP_KEYS.join(' or ')}`);
    } else if (!isEmpty(entry.value)) {
      if (entry.key === 'rules') readRules(entry, layer, issue);
      else readFindings(entry, layer, issue, knownFindingRules);
    }
  }
  return { layer, issues, warnings: [] };
}

type Report = (line: number | undefined, key: string, message: string) => void;

function isEmpty(node: YamlNode): boolean {
  return node.kind === 'scalar' && node.text === null;
}

function asMap(entry: YamlEntry, key: string, issue: Report): YamlEntry[] | undefined {
  if (entry.value.kind === 'map') return entry.value.entries;
  issue(entry.line, key, 'must be a mapping');
  return undefined;
}

function readRules(entry: YamlEntry, layer: GateConfigLayer, issue: Report): void {
  for (const rule of asMap(entry, 'rules', issue) ?? []) {
    const key = `rules.${rule.key}`;
    if (!isThresholdRuleId(rule.key)) {
      issue(
        rule.line,
        key,
        `unknown rule${didYouMean(rule.key, THRESHOLD_RULE_IDS)}; known: ${THRESHOLD_RULE_IDS.join(', ')}`,
      );
      continue;
    }
    const text = scalarText(rule.value);
    if (text === undefined) {
      issue(rule.line, key, 'must be a single value, not a list or mapping');
      continue;
    }
    const parsed = parseThreshold(thresholdRuleSpec(rule.key), text, layer.source);
    if (parsed.ok) layer.thresholds[rule.key] = parsed.value;
    else issue(rule.line, key, parsed.reason);
  }
}

function readFindings(
  entry: YamlEntry,
  layer: GateConfigLayer,
  issue: Report,
  knownFindingRules: readonly string[],
): void {
  for (const setting of asMap(entry, 'findings', issue) ?? []) {
    const known = (FINDINGS_KEYS as readonly string[]).includes(setting.key);
    if (known && isEmpty(setting.value)) continue;
    const key = `findings.${setting.key}`;
    const text = scalarText(setting.value);
    switch (setting.key) {
      case 'failOn': {
        const parsed = text === undefined ? undefined : parseFailOn(text);
        if (parsed?.ok) layer.failOn = parsed.value;
        else issue(setting.line, key, parsed?.reason ?? 'must be one of error, warning, info, never');
        break;
      }
      case 'ignoreBaseLayers': {
        const parsed = text === undefined ? undefined : parseIgnoreBaseLayers(text);
        if (parsed?.ok) layer.ignoreBaseLayers = parsed.value;
        else issue(setting.line, key, parsed?.reason ?? 'must be true, false or a number of layers');
        break;
      }
      case 'ignorePaths':
        readIgnorePaths(setting, layer, issue);
        break;
      case 'rules':
        readFindingRules(setting, layer, issue, knownFindingRules);
        break;
      default:
        issue(
          setting.line,
          key,
          `unknown key${didYouMean(setting.key, FINDINGS_KEYS)}; known: ${FINDINGS_KEYS.join(', ')}`,
        );
    }
  }
}

function readIgnorePaths(setting: YamlEntry, layer: GateConfigLayer, issue: Report): void {
  const key = 'findings.ignorePaths';
  const nodes = setting.value.kind === 'seq' ? setting.value.items : [setting.value];
  const globs: string[] = [];
  nodes.forEach((node, i) => {
    const text = scalarText(node);
    const parsed = text === undefined ? undefined : checkIgnoreGlob(text);
    if (parsed?.ok) globs.push(parsed.value);
    else
      issue(node.line, `${key}[${i}]`, parsed?.reason ?? 'must be a glob pattern such as /usr/share/doc/**');
  });
  layer.ignorePaths = globs;
}

function readFindingRules(
  setting: YamlEntry,
  layer: GateConfigLayer,
  issue: Report,
  known: readonly string[],
): void {
  const rules: Record<string, 'off' | 'error' | 'warning' | 'info'> = {};
  for (const rule of asMap(setting, 'findings.rules', issue) ?? []) {
    const key = `findings.rules.${rule.key}`;
    if (!isFindingRuleId(rule.key)) {
      issue(rule.line, key, 'is not a finding rule id (letters, digits and dashes)');
      continue;
    }
    const unknown = unknownRuleReason(rule.key, known);
    if (unknown !== undefined) {
      issue(rule.line, key, unknown);
      continue;
    }
    const text = scalarText(rule.value);
    const parsed = text === undefined ? undefined : parseFindingRuleSetting(text);
    if (parsed?.ok) rules[rule.key] = parsed.value;
    else issue(rule.line, key, parsed?.reason ?? 'must be one of off, error, warning, info');
  }
  layer.findingRules = rules;
}
