import type { Finding, FindingsReport } from '../model/index.js';
import { formatBytes, truncate } from './format.js';

/**
 * The "Findings" section of the terminal report: most valuable first, each with the bytes it
 * saves, its largest paths and its advice, the Dockerfile change as -/+ lines.
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
  findings.forEach((finding, i) => out.push('', ...renderFinding(finding, i + 1, width)));
  return out;
}

function renderFinding(finding: Finding, number: number, width: number): string[] {
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
  const dockerfile = finding.advice.dockerfile;
  if (dockerfile !== undefined) {
    for (const line of dockerfile.before.split('\n')) lines.push(`${indent}- ${line}`.trimEnd());
    for (const line of dockerfile.after.split('\n')) lines.push(`${indent}+ ${line}`.trimEnd());
  }
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
