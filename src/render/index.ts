export { renderAnalysisJson, analysisToJson, SCHEMA_VERSION } from './analysis-json.js';
export { renderAnalysisTable, type TableOptions } from './analysis-table.js';
export { formatBytes, formatPercent, truncate } from './format.js';
export { renderDiffJson, diffToJson, TOP_FILES, type FileListing } from './diff-json.js';
export { renderDiffTable, type DiffTableOptions } from './diff-table.js';
export { renderDiffMarkdown } from './diff-markdown.js';
