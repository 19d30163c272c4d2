export {
  buildAnalysis,
  buildAnalysisWith,
  type AnalysisInput,
  type LayerIdentity,
} from './build-analysis.js';
export { computeDiveMetrics } from './dive-efficiency.js';
export { mergeLayers } from './merged-filesystem.js';
export { mapHistory } from './history.js';
export { LayerPaths, LayerStack } from './layer-stack.js';
export { comparedBodies } from './compared-bodies.js';
export { entryChangeCodes, layerFiles, ENTRY_CHANGES } from './layer-file-changes.js';
export { emptyChanges } from './layer-changes.js';
