export { diffAnalyses, type DiffOptions } from './diff-analyses.js';
export { alignLayers, stepKey } from './layers.js';
export { diffFiles, directoryAt } from './files.js';
export { diffSummary } from './summary.js';
export { deltaRow } from './delta.js';
