export {
  analyzeImage,
  analyzeResolved,
  analyzeMetadata,
  DEFAULT_LAYER_CONCURRENCY,
  type AnalyzeOptions,
  type LayerCache,
} from './analyze-image.js';
export {
  analyzeImageReport,
  findImageProblems,
  listRules,
  ruleSettings,
  sarifFindings,
  type ImageReport,
  type ReportOptions,
} from './find-image-problems.js';
export {
  loadGateConfig,
  evaluateImageGate,
  DIVE_CI_FILE,
  IMGSCOPE_CONFIG_FILES,
  THRESHOLD_RULES,
  FAIL_ON_VALUES,
  type GateConfigOptions,
  type GateFlagValues,
} from './evaluate-gate.js';
export { writeGateReports, type GateReportTargets, type GateReportContext } from './gate-reports.js';
export { diffImages, type DiffImagesOptions, type DiffResult } from './diff-images.js';
export { listCache, pruneCache } from './cache.js';
export { writeAnalysisHtml, writeDiffHtml, layerFileLists } from './html-report.js';
export { listImagePackages, type PackageList, type PackageListOptions } from './list-packages.js';
export {
  auditImages,
  mergeAuditResults,
  writeAuditSummary,
  DEFAULT_AUDIT_PARALLEL,
  type AuditOptions,
  type AuditOutcome,
  type AuditRun,
} from './audit.js';
export {
  listAuditTargets,
  registryOf,
  repositoryOf,
  type AuditTarget,
  type TargetOptions,
} from './audit-targets.js';
export { withResolvedImage } from './analyze-image.js';
