export {
  analyzeImage,
  analyzeResolved,
  analyzeMetadata,
  DEFAULT_LAYER_CONCURRENCY,
  type AnalyzeOptions,
  type LayerCache,
} from './analyze-image.js';
export { diffImages, type DiffImagesOptions, type DiffResult } from './diff-images.js';
