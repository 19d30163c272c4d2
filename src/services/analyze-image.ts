import pLimit from 'p-limit';
import { buildAnalysis } from '../analysis/index.js';
import { readLayer } from '../layers/index.js';
import type { Analysis, Platform } from '../model/index.js';
import { openImageSource, type ResolvedImage } from '../sources/index.js';

export interface AnalyzeOptions {
  platform?: Platform;
  /** Layers read at once; decompression runs on libuv's threads, so a few overlap well. */
  concurrency?: number;
}

export const DEFAULT_LAYER_CONCURRENCY = 3;

/** Resolves the image, streams every layer through the reader, and analyzes the result. */
export async function analyzeImage(reference: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const source = await openImageSource(reference);
  try {
    const image = await source.resolve(options.platform === undefined ? {} : { platform: options.platform });
    return await analyzeResolved(image, options.concurrency ?? DEFAULT_LAYER_CONCURRENCY);
  } finally {
    await source.close();
  }
}

export async function analyzeResolved(image: ResolvedImage, concurrency: number): Promise<Analysis> {
  const limit = pLimit(Math.max(1, concurrency));
  const contents = await Promise.all(
    image.layers.map((layer, index) =>
      limit(() =>
        readLayer(layer.open, {
          label: `layer ${index}`,
          digest: layer.descriptor?.digest ?? null,
          size: layer.descriptor?.size ?? null,
          diffId: layer.diffId,
        }),
      ),
    ),
  );
  return buildAnalysis({
    image: {
      reference: image.reference,
      source: image.source,
      digest: image.manifestDigest,
      id: image.configDigest,
      platform: image.platform,
      user: image.config.config?.User ?? '',
    },
    config: image.config,
    layers: image.layers.map((layer) => ({ diffId: layer.diffId, digest: layer.descriptor?.digest ?? null })),
    contents,
  });
}
