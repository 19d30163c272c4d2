import { diffAnalyses } from '../diff/index.js';
import { evaluateGrowth, type GrowthLimit } from '../gate/index.js';
import type { Analysis, GateResult, ImageDiff, Platform } from '../model/index.js';
import { openImageSource, type ImageSource } from '../sources/index.js';
import { analyzeResolved, DEFAULT_LAYER_CONCURRENCY, type LayerCache } from './analyze-image.js';
import { redactAnalysis } from './find-image-problems.js';

export interface DiffImagesOptions {
  platform?: Platform;
  concurrency?: number;
  depth?: number;
  /** Gate: fail when the after image grew by more than this ("10MB" or "5%", as configured). */
  maxGrowth?: { limit: GrowthLimit; configured: string };
}

export interface DiffResult {
  before: Analysis;
  after: Analysis;
  diff: ImageDiff;
  /** The --max-growth gate, when one was asked for. */
  gate: GateResult | null;
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
    // History is redacted before anything compares or prints it: no secret value in a diff either.
    const before = redactAnalysis(await analyzeResolved(await resolve(beforeRef), concurrency, cache));
    const after = redactAnalysis(await analyzeResolved(await resolve(afterRef), concurrency, cache));
    const growth = options.maxGrowth;
    return {
      before,
      after,
      diff: diffAnalyses(before, after, { depth: options.depth ?? 2 }),
      gate:
        growth === undefined
          ? null
          : evaluateGrowth(before.sizeBytes, after.sizeBytes, growth.limit, growth.configured),
    };
  } finally {
    await Promise.all(sources.map((source) => source.close()));
  }
}
