import type { GateResult, GateStatus } from '../model/index.js';
import { formatBytes } from './format.js';
import { formatGateThreshold, formatGateValue } from './gate-values.js';

export interface MarkdownGateOptions {
  reference: string;
}

const ICON: Record<GateStatus, string> = { PASS: '✅', FAIL: '❌', WARN: '⚠️', SKIP: '⏭️' };

/** The gate as a GitHub step summary or merge-request comment: a rule table, then findings. */
export function renderMarkdownGate(gate: GateResult, options: MarkdownGateOptions): string {
  const status: GateStatus = gate.passed ? 'PASS' : 'FAIL';
  const lines = [
    `## imgscope gate: ${ICON[status]} ${gate.passed ? 'passed' : 'failed'} — \`${code(options.reference)}\``,
    '',
    '| Status | Rule | Value | Threshold | Details |',
    '| --- | --- | --- | --- | --- |',
    ...gate.rules.map(
      (r) =>
        `| ${ICON[r.status]} ${r.status} | \`${r.id}\` | ${cell(formatGateValue(r))} | ${cell(formatGateThreshold(r))} | ${cell(r.message)} |`,
    ),
  ];
  if (gate.findings.length > 0) {
    lines.push(
      '',
      '### Findings',
      '',
      '| Status | Finding | Severity | Layer | Wasted | Paths |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const f of gate.findings) {
      const paths =
        f.paths
          .slice(0, 3)
          .map((p) => `\`${code(p)}\``)
          .join('<br>') + (f.paths.length > 3 ? ` (+${f.paths.length - 3})` : '');
      lines.push(
        `| ${ICON[f.status]} ${f.status} | **${cell(f.id)}**: ${cell(f.title)} | ${f.severity} | ${f.layerIndex ?? ''} | ${f.wastedBytes > 0 ? formatBytes(f.wastedBytes) : ''} | ${paths} |`,
      );
    }
    const advised = gate.findings.filter((f) => f.advice !== null);
    if (advised.length > 0) {
      lines.push('', '<details><summary>What to change</summary>', '');
      for (const f of advised) lines.push(`- **${cell(f.id)}**: ${cell(f.advice ?? '')}`);
      lines.push('', '</details>');
    }
  }
  const s = gate.summary;
  lines.push(
    '',
    `**Result: ${status}** — ${s.pass} passed, ${s.fail} failed, ${s.warn} warnings, ${s.skip} skipped`,
  );
  if (gate.configFiles.length > 0)
    lines.push('', `Configuration: ${gate.configFiles.map((f) => `\`${code(f)}\``).join(', ')}`);
  return lines.join('\n') + '\n';
}

/** Table cells: no line breaks, pipes escaped, HTML-ish characters neutralised. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function code(text: string): string {
  return text.replace(/`/g, "'");
}
