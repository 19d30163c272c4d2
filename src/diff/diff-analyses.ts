import type { Analysis, FindingsReport, ImageDiff } from '../model/index.js';
import { diffFindings } from './findings.js';
import { diffFiles } from './files.js';
import { alignLayers } from './layers.js';
import { diffPackages } from './packages.js';
import { diffSummary } from './summary.js';

export interface DiffOptions {
  /** Directory depth of the per-directory totals. */
  depth: number;
  /** How many file changes to keep (the largest); all when absent. */
  keepChanges?: number;
}

/** One side of a diff: the analysis and its findings. */
export interface DiffSide {
  analysis: Analysis;
  findings: FindingsReport;
}

/** Everything that differs between two analyzed builds. */
export function diffAnalyses(before: DiffSide, after: DiffSide, options: DiffOptions): ImageDiff {
  return {
    summary: diffSummary(before.analysis, after.analysis),
    layers: alignLayers(before.analysis.layers, after.analysis.layers),
    files: diffFiles(
      before.analysis.finalFiles,
      after.analysis.finalFiles,
      options.depth,
      options.keepChanges,
    ),
    findings: diffFindings(before.findings, after.findings),
    packages: diffPackages(before.analysis.packages.packages, after.analysis.packages.packages),
  };
}
