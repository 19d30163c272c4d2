import { diffAnalyses } from '../diff/index.js';
import type { Analysis, ImageDiff, Platform } from '../model/index.js';
import { openImageSource, type ImageSource } from '../sources/index.js';
import { analyzeResolved, DEFAULT_LAYER_CONCURRENCY, type LayerCache } from './analyze-image.js';

export interface DiffImagesOptions {
  platform?: Platform;
  concurrency?: number;
  depth?: number;
}

export interface DiffResult {
  before: Analysis;
  after: Analysis;
  diff: ImageDiff;
}

/** Analyzes both images, reading the layers they share once, and compares them. */
export async function diffImages(
  beforeRef: string,
  afterRef: string,
  options: DiffImagesOptions = {},
): Promise<DiffResult> {
  const sources: ImageSource[] = [];
  try {
    const resolve = async (reference: string) => {
      const source = await openImageSource(reference);
      sources.push(source);
      return source.resolve(options.platform === undefined ? {} : { platform: options.platform });
    };
    const cache: LayerCache = new Map();
    const concurrency = options.concurrency ?? DEFAULT_LAYER_CONCURRENCY;
    const before = await analyzeResolved(await resolve(beforeRef), concurrency, cache);
    const after = await analyzeResolved(await resolve(afterRef), concurrency, cache);
    return { before, after, diff: diffAnalyses(before, after, { depth: options.depth ?? 2 }) };
  } finally {
    await Promise.all(sources.map((source) => source.close()));
  }
}
