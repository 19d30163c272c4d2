import type { GateResult } from '../model/index.js';

/**
 * GitHub Actions workflow commands for what the gate flagged: `::error` for each failed rule and
 * failing finding, `::warning` for the WARN ones. GitHub shows them on the run and the PR.
 */
export function renderGithubAnnotations(gate: GateResult, reference: string): string {
  const lines: string[] = [];
  for (const rule of gate.rules) {
    if (rule.status === 'FAIL' || rule.status === 'WARN') {
      lines.push(
        command(
          rule.status === 'FAIL' ? 'error' : 'warning',
          `imgscope ${rule.id}`,
          `${reference}: ${rule.message}`,
        ),
      );
    }
  }
  for (const f of gate.findings) {
    const where = f.layerIndex === null ? '' : ` (layer ${f.layerIndex})`;
    const advice = f.advice === null ? '' : `\n${f.advice}`;
    lines.push(
      command(
        f.status === 'FAIL' ? 'error' : 'warning',
        `imgscope ${f.id}`,
        `${reference}: ${f.title}${where}${advice}`,
      ),
    );
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

function command(kind: 'error' | 'warning', title: string, message: string): string {
  return `::${kind} title=${escapeProperty(title)}::${escapeData(message)}`;
}

// The escaping GitHub's runner (actions/toolkit) applies to workflow command values.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
