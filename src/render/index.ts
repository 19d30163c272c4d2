export { renderAnalysisJson, analysisToJson, SCHEMA_VERSION } from './analysis-json.js';
export { renderAnalysisTable, type TableOptions } from './analysis-table.js';
export { formatBytes, formatPercent, truncate } from './format.js';
