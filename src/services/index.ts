export {
  analyzeImage,
  analyzeResolved,
  DEFAULT_LAYER_CONCURRENCY,
  type AnalyzeOptions,
} from './analyze-image.js';
export {
  analyzeImageReport,
  findImageProblems,
  listRules,
  ruleSettings,
  type ImageReport,
  type ReportOptions,
} from './find-image-problems.js';
