import Table from 'cli-table3';
import type { RuleInfo } from '../model/index.js';
import { SCHEMA_VERSION } from './analysis-json.js';

/**
 * `imgscope rules` as a table: id, severity, related linter ids, what the rule checks, its words
 * wrapped in fixed widths: cli-table3's layout (the reports' plain tables are `TextTable`).
 */
export function renderRulesTable(rules: readonly RuleInfo[], width: number): string {
  const checksWidth = Math.max(30, width - 24 - 10 - 22 - 10);
  const table = new Table({
    head: ['Rule', 'Severity', 'Related', 'Checks'],
    style: { head: [], border: [] },
    colWidths: [26, 10, 22, checksWidth],
    wordWrap: true,
  });
  for (const rule of rules) {
    table.push([rule.id, rule.severity, rule.related.join('\n') || '-', rule.description]);
  }
  return table.toString() + '\n';
}

export function renderRulesJson(rules: readonly RuleInfo[]): string {
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, rules }, null, 2) + '\n';
}
