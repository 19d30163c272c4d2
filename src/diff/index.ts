export { diffAnalyses, type DiffOptions, type DiffSide } from './diff-analyses.js';
export { diffFindings, findingKey } from './findings.js';
export { alignLayers, stepKey } from './layers.js';
export { diffFiles, directoryAt } from './files.js';
export { diffSummary } from './summary.js';
export { deltaRow } from './delta.js';
