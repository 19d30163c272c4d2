import type { GateResult, GateStatus } from '../model/index.js';
import { formatBytes } from './format.js';

export interface GateTextOptions {
  /** ANSI colours for the statuses (off when NO_COLOR is set or output is not a terminal). */
  color?: boolean;
}

const COLORS: Record<GateStatus, string> = { PASS: '32', FAIL: '1;31', WARN: '33', SKIP: '2' };

/**
 * The gate as dive prints it in CI mode: one line per rule (status, name, measured value against
 * the threshold), the findings that gate, then dive's summary line
 * `Result:PASS [Total:3] [Passed:2] [Failed:0] [Warn:0] [Skipped:1]`.
 */
export function renderGateText(gate: GateResult, options: GateTextOptions = {}): string {
  const paint = (status: GateStatus, text: string): string =>
    options.color ? `\u001b[${COLORS[status]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  const from = gate.configFiles.length > 0 ? ` (config: ${gate.configFiles.join(', ')})` : '';
  lines.push(`Gate${from}:`);
  for (const warning of gate.warnings) lines.push(`  note: ${warning}`);
  const width = Math.max(0, ...gate.rules.map((r) => r.id.length));
  for (const rule of gate.rules) {
    lines.push(`  ${paint(rule.status, rule.status)}  ${rule.id.padEnd(width)}  ${rule.message}`);
  }
  if (gate.findings.length > 0) {
    lines.push('Findings:');
    for (const f of gate.findings) {
      const where = f.layerIndex === null ? '' : `, layer ${f.layerIndex}`;
      const waste = f.wastedBytes > 0 ? `, ${formatBytes(f.wastedBytes)}` : '';
      lines.push(`  ${paint(f.status, f.status)}  ${f.id} (${f.severity}${where}${waste}): ${f.title}`);
    }
  }
  const s = gate.summary;
  const status: GateStatus = gate.passed ? 'PASS' : 'FAIL';
  lines.push(
    `${paint(status, `Result:${status}`)} [Total:${s.total}] [Passed:${s.pass}] [Failed:${s.fail}] [Warn:${s.warn}] [Skipped:${s.skip}]`,
  );
  return lines.join('\n') + '\n';
}
