import { plural, type GateFindingResult, type GateResult, type GateStatus } from '../model/index.js';
import { formatBytes } from './format.js';
import { formatGateThreshold, formatGateValue } from './gate-values.js';
import { markdownCode, markdownCodeBlock, markdownText as cell } from './markdown-text.js';

/** A finding's advice: its text, then (after a line break) the Dockerfile lines to write. */
interface Advice {
  id: string;
  text: string;
  dockerfile: string;
}

/**
 * Findings grouped by their Dockerfile change, in order of first appearance: findings on the same
 * step carry the same combined fix (src/findings/step-fixes.ts), shown once.
 */
function byDockerfileChange(findings: readonly GateFindingResult[]): Advice[][] {
  const groups = new Map<string, Advice[]>();
  findings.forEach((f, index) => {
    const [text = '', ...dockerfile] = (f.advice ?? '').split('\n');
    const advice = { id: f.id, text, dockerfile: dockerfile.join('\n') };
    const key = advice.dockerfile === '' ? `#${index}` : advice.dockerfile;
    groups.set(key, [...(groups.get(key) ?? []), advice]);
  });
  return [...groups.values()];
}

/** One list item: the finding's advice (or each finding's, as a nested list), then the code block once. */
function adviceItem(group: Advice[]): string[] {
  const [first] = group;
  if (first === undefined) return [];
  const lines =
    group.length === 1
      ? [`- **${cell(first.id)}**: ${cell(first.text)}`]
      : [
          `- One change for ${group.map((a) => `**${cell(a.id)}**`).join(', ')}:`,
          ...group.map((a) => `  - **${cell(a.id)}**: ${cell(a.text)}`),
        ];
  if (first.dockerfile !== '')
    lines.push('', ...markdownCodeBlock(first.dockerfile, 'dockerfile').map((l) => `  ${l}`));
  return lines;
}

export interface MarkdownGateOptions {
  reference: string;
}

const ICON: Record<GateStatus, string> = { PASS: '✅', FAIL: '❌', WARN: '⚠️', SKIP: '⏭️' };

/** The gate as a GitHub step summary or merge-request comment: a rule table, then findings. */
export function renderMarkdownGate(gate: GateResult, options: MarkdownGateOptions): string {
  const status: GateStatus = gate.passed ? 'PASS' : 'FAIL';
  const lines = [
    `## imgscope gate: ${ICON[status]} ${gate.passed ? 'passed' : 'failed'} — ${markdownCode(options.reference, false)}`,
    '',
    '| Status | Rule | Value | Threshold | Details |',
    '| --- | --- | --- | --- | --- |',
    ...gate.rules.map(
      (r) =>
        `| ${ICON[r.status]} ${r.status} | ${markdownCode(r.id)} | ${cell(formatGateValue(r))} | ${cell(formatGateThreshold(r))} | ${cell(r.message)} |`,
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
          .map((p) => markdownCode(p))
          .join('<br>') + (f.paths.length > 3 ? `<br>and ${f.paths.length - 3} more` : '');
      lines.push(
        `| ${ICON[f.status]} ${f.status} | **${cell(f.id)}**: ${cell(f.title)} | ${f.severity} | ${f.layerIndex ?? ''} | ${f.wastedBytes > 0 ? formatBytes(f.wastedBytes) : ''} | ${paths} |`,
      );
    }
    const advised = gate.findings.filter((f) => f.advice !== null);
    if (advised.length > 0) {
      lines.push('', '<details><summary>What to change</summary>', '');
      for (const group of byDockerfileChange(advised)) lines.push(...adviceItem(group));
      lines.push('', '</details>');
    }
  }
  const s = gate.summary;
  lines.push(
    '',
    `**Result: ${status}** — ${s.pass} passed, ${s.fail} failed, ${plural(s.warn, 'warning')}, ${s.skip} skipped`,
  );
  if (gate.configFiles.length > 0)
    lines.push('', `Configuration: ${gate.configFiles.map((f) => markdownCode(f, false)).join(', ')}`);
  return lines.join('\n') + '\n';
}
