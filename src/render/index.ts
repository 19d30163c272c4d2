export { renderAnalysisJson, analysisToJson, SCHEMA_VERSION } from './analysis-json.js';
export { renderAnalysisTable, type TableOptions } from './analysis-table.js';
export { formatBytes, formatPercent, truncate } from './format.js';
export { renderGateText, type GateTextOptions } from './gate-text.js';
export { renderJunit, type JunitOptions } from './junit.js';
export { renderSarif, type SarifFinding, type SarifOptions } from './sarif.js';
export { renderMarkdownGate, type MarkdownGateOptions } from './markdown-gate.js';
export { renderGithubAnnotations } from './github-annotations.js';
export { formatGateValue, formatGateThreshold } from './gate-values.js';
