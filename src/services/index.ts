export {
  analyzeImage,
  analyzeResolved,
  analyzeMetadata,
  DEFAULT_LAYER_CONCURRENCY,
  type AnalyzeOptions,
} from './analyze-image.js';
