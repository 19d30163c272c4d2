export {
  renderAnalysisJson,
  analysisToJson,
  SCHEMA_VERSION,
  type AnalysisJsonOptions,
} from './analysis-json.js';
export { renderAnalysisTable, type TableOptions } from './analysis-table.js';
export { formatBytes, formatPercent } from './format.js';
export { truncate } from './terminal-columns.js';
export { renderFindingsSection } from './findings-table.js';
export { findingsToJson } from './findings-json.js';
export { renderRulesTable, renderRulesJson } from './rules-table.js';
export { renderGateText, type GateTextOptions } from './gate-text.js';
export { renderJunit, type JunitOptions } from './junit.js';
export { renderSarif, type SarifFinding, type SarifOptions } from './sarif.js';
export { renderMarkdownGate, type MarkdownGateOptions } from './markdown-gate.js';
export { renderGithubAnnotations } from './github-annotations.js';
export { formatGateValue, formatGateThreshold } from './gate-values.js';
export { renderDiffJson, diffToJson, TOP_FILES, type FileListing } from './diff-json.js';
export { renderDiffTable, type DiffTableOptions } from './diff-table.js';
export { renderDiffMarkdown } from './diff-markdown.js';
export { renderCacheTable, renderCacheJson, renderCachePrune } from './cache.js';
export { analysisPageData, diffPageData, analysisSummary, type AnalysisPageInput } from './page-data.js';
export { renderHtmlReport, scriptSafeJson, type WebBundle } from './html-report.js';
export { renderLargestPackages, renderPackagesTable } from './packages-table.js';
export { renderPackagesCsv } from './packages-csv.js';
export { renderPackagesJson } from './packages-json.js';
export { renderPackagesCycloneDx } from './packages-cyclonedx.js';
export {
  renderAuditJson,
  renderAuditTable,
  renderAuditMarkdown,
  AUDIT_SCHEMA_VERSION,
} from './audit-summary.js';
