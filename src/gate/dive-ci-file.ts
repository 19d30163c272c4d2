import type { ConfigIssue, GateConfigLayer, ParsedConfigLayer } from './gate-config.js';
import { thresholdRuleSpec, type DiveRuleId } from './rule-catalog.js';
import { parseThreshold } from './threshold.js';
import { parseYamlTree, scalarText } from './yaml-tree.js';

const DIVE_KEYS: readonly DiveRuleId[] = [
  'lowestEfficiency',
  'highestWastedBytes',
  'highestUserWastedPercent',
];

/**
 * Reads a `.dive-ci` file with dive's meaning: `rules:` with dive's three keys, each a threshold
 * or `disabled`/`off`/`false`/empty; keys the file leaves out keep dive's defaults. Keys dive
 * does not know are ignored, as dive ignores them, but mentioned as warnings.
 */
export function parseDiveCiFile(text: string, file: string): ParsedConfigLayer {
  const layer: GateConfigLayer = { source: file, file, thresholds: {} };
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const { root, errors } = parseYamlTree(text);
  for (const e of errors) {
    issues.push({
      source: file,
      ...(e.line === undefined ? {} : { line: e.line }),
      key: '(yaml)',
      message: e.message,
    });
  }
  if (root === null) return { layer, issues, warnings };
  if (root.kind !== 'map') {
    issues.push({
      source: file,
      line: root.line,
      key: '(root)',
      message: 'must be a mapping with a rules: section',
    });
    return { layer, issues, warnings };
  }
  for (const entry of root.entries) {
    if (entry.key !== 'rules') {
      warnings.push(`${file}:${entry.line}: key ${entry.key} is not used by dive's CI rules; ignored`);
      continue;
    }
    if (entry.value.kind === 'scalar' && entry.value.text === null) continue;
    if (entry.value.kind !== 'map') {
      issues.push({
        source: file,
        line: entry.line,
        key: 'rules',
        message: 'must be a mapping of rule names to thresholds',
      });
      continue;
    }
    for (const rule of entry.value.entries) {
      const id = DIVE_KEYS.find((k) => k === rule.key);
      if (id === undefined) {
        warnings.push(
          `${file}:${rule.line}: rules.${rule.key} is not one of dive's rules (${DIVE_KEYS.join(', ')}); ignored`,
        );
        continue;
      }
      const text = scalarText(rule.value);
      if (text === undefined) {
        issues.push({
          source: file,
          line: rule.line,
          key: `rules.${id}`,
          message: 'must be a single value, not a list or mapping',
        });
        continue;
      }
      const parsed = parseThreshold(thresholdRuleSpec(id), text, file);
      if (parsed.ok) layer.thresholds[id] = parsed.value;
      else issues.push({ source: file, line: rule.line, key: `rules.${id}`, message: parsed.reason });
    }
  }
  return { layer, issues, warnings };
}
