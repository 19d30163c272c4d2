import type { Finding, FindingsReport, StepFix } from '../model/index.js';
import { formatBytes } from './format.js';
import { truncate } from './terminal-columns.js';

/**
 * The "Findings" section of the terminal report: most valuable first, each with the bytes it
 * saves, its largest paths and its advice; then the Dockerfile fixes, one per step, as -/+ lines
 * (a step several findings rewrite is shown once, each finding names its fix).
 */
export function renderFindingsSection(report: FindingsReport, width: number): string[] {
  const { findings, summary } = report;
  const counts = (['error', 'warning', 'info'] as const)
    .filter((severity) => summary.findingCounts[severity] > 0)
    .map((severity) => `${summary.findingCounts[severity]} ${severity}`)
    .join(', ');
  const out = [
    findings.length === 0
      ? 'Findings: none'
      : `Findings (${counts}; potential savings ${formatBytes(summary.potentialSavingsBytes)})`,
  ];
  const fixNumber = new Map<number, number>();
  report.fixes.forEach((fix, i) => fix.findings.forEach((settled) => fixNumber.set(settled.index, i + 1)));
  findings.forEach((finding, i) => out.push('', ...renderFinding(finding, i + 1, fixNumber.get(i), width)));
  if (report.fixes.length > 0) {
    out.push('', 'Dockerfile fixes (one per step)');
    report.fixes.forEach((fix, i) => out.push('', ...renderFix(fix, i + 1)));
  }
  return out;
}

function renderFix(fix: StepFix, number: number): string[] {
  const where =
    fix.layers.length === 0
      ? 'Settles'
      : `${fix.layers.length === 1 ? 'Layer' : 'Layers'} ${fix.layers.join(', ')}: settles`;
  const settles = fix.findings.map((f) => `#${f.index + 1} ${f.id}`).join(', ');
  const saves = fix.savingsBytes > 0 ? ` — saves ${formatBytes(fix.savingsBytes)}` : '';
  const lines = [`${String(number).padStart(2)}. ${where} ${settles}${saves}`];
  for (const line of fix.before.split('\n')) lines.push(`    - ${line}`.trimEnd());
  for (const line of fix.after.split('\n')) lines.push(`    + ${line}`.trimEnd());
  return lines;
}

function renderFinding(finding: Finding, number: number, fix: number | undefined, width: number): string[] {
  const indent = '    ';
  const inner = Math.max(20, width - indent.length);
  const saves = finding.wastedBytes > 0 ? ` — saves ${formatBytes(finding.wastedBytes)}` : '';
  const where = finding.layerIndex === null ? '' : ` (layer ${finding.layerIndex})`;
  const lines = [
    `${String(number).padStart(2)}. [${finding.severity}] ${finding.title}${saves}${where}  ${finding.id}`,
  ];
  lines.push(...wrap(finding.message, inner).map((line) => indent + line));
  for (const path of finding.paths) {
    const size = formatBytes(path.sizeBytes).padStart(9);
    lines.push(`${indent}${size}  ${truncate(path.path, inner - 11)}`);
  }
  if (finding.pathsOmitted > 0) lines.push(`${indent}           … and ${finding.pathsOmitted} more`);
  lines.push(...wrap(`Advice: ${finding.advice.text}`, inner).map((line) => indent + line));
  if (fix !== undefined) lines.push(`${indent}Dockerfile: fix ${fix} below`);
  return lines;
}

/** Greedy word wrap; a word longer than the width gets a line of its own. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
