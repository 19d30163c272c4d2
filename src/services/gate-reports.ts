import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { GateResult } from '../model/index.js';
import { renderJunit, renderMarkdownGate, renderSarif, type SarifFinding } from '../render/index.js';

export interface GateReportTargets {
  junit?: string;
  sarif?: string;
  markdown?: string;
  /** `$GITHUB_STEP_SUMMARY`: the Markdown summary is appended, as GitHub expects. */
  githubStepSummary?: string;
}

export interface GateReportContext {
  reference: string;
  toolVersion: string;
  /** Findings for SARIF: all of them, not only the ones that gate. */
  findings: readonly SarifFinding[];
}

/** Writes the report files asked for; returns the paths written. */
export async function writeGateReports(
  gate: GateResult,
  targets: GateReportTargets,
  context: GateReportContext,
): Promise<string[]> {
  const written: string[] = [];
  const markdown = (): string => renderMarkdownGate(gate, { reference: context.reference });
  if (targets.junit !== undefined) {
    await writeReport(targets.junit, renderJunit(gate, { reference: context.reference }));
    written.push(targets.junit);
  }
  if (targets.sarif !== undefined) {
    await writeReport(targets.sarif, renderSarif(context.findings, gate, context));
    written.push(targets.sarif);
  }
  if (targets.markdown !== undefined) {
    await writeReport(targets.markdown, markdown());
    written.push(targets.markdown);
  }
  if (targets.githubStepSummary !== undefined && targets.githubStepSummary !== '') {
    await writeReport(targets.githubStepSummary, markdown() + '\n', { append: true });
    written.push(targets.githubStepSummary);
  }
  return written;
}

export async function writeReport(
  file: string,
  text: string,
  options: { append?: boolean } = {},
): Promise<void> {
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await (options.append ? appendFile(file, text) : writeFile(file, text));
  } catch (cause) {
    throw new ConfigError(`cannot write report ${file}: ${(cause as Error).message}`, { cause });
  }
}
