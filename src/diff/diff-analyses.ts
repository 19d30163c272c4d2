import type { Analysis, ImageDiff } from '../model/index.js';
import { diffFiles } from './files.js';
import { alignLayers } from './layers.js';
import { diffSummary } from './summary.js';

export interface DiffOptions {
  /** Directory depth of the per-directory totals. */
  depth: number;
}

/** Everything that differs between two analyzed builds. */
export function diffAnalyses(before: Analysis, after: Analysis, options: DiffOptions): ImageDiff {
  return {
    summary: diffSummary(before, after),
    layers: alignLayers(before.layers, after.layers),
    files: diffFiles(before.finalFiles, after.finalFiles, options.depth),
  };
}
