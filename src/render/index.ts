export { renderAnalysisJson, analysisToJson, SCHEMA_VERSION } from './analysis-json.js';
export { renderAnalysisTable, type TableOptions } from './analysis-table.js';
export { formatBytes, formatPercent, truncate } from './format.js';
export { renderFindingsSection } from './findings-table.js';
export { findingsToJson } from './findings-json.js';
export { renderRulesTable, renderRulesJson } from './rules-table.js';
