export {
  analyzeImage,
  analyzeResolved,
  DEFAULT_LAYER_CONCURRENCY,
  type AnalyzeOptions,
} from './analyze-image.js';
