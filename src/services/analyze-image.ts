import pLimit from 'p-limit';
import { buildAnalysis } from '../analysis/index.js';
import { readLayer } from '../layers/index.js';
import {
  EntryTable,
  type Analysis,
  type Compression,
  type ImageInfo,
  type LayerContents,
  type Platform,
} from '../model/index.js';
import {
  openImageSource,
  type LayerBlob,
  type OpenSourceOptions,
  type ResolvedImage,
} from '../sources/index.js';

export interface AnalyzeOptions {
  platform?: Platform;
  /** Registry/daemon options (credentials, TLS, cache, progress). */
  source?: OpenSourceOptions;
  /** --no-layers: manifest, config and history only; no layer is downloaded or read. */
  metadataOnly?: boolean;
  /** Layers read at once; decompression runs on libuv's threads, so a few overlap well. */
  concurrency?: number;
}

export const DEFAULT_LAYER_CONCURRENCY = 3;

/** Resolves the image, streams every layer through the reader, and analyzes the result. */
export async function analyzeImage(reference: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  return withResolvedImage(reference, options, (image) =>
    options.metadataOnly === true
      ? Promise.resolve(analyzeMetadata(image))
      : analyzeResolved(image, options.concurrency ?? DEFAULT_LAYER_CONCURRENCY),
  );
}

/**
 * Opens the image's source, resolves manifest and config, and runs `use` while the source is
 * open: the first half of analyzeImage, for callers that look at the image before reading its
 * layers (the audit skips an image whose manifest digest it has done).
 */
export async function withResolvedImage<T>(
  reference: string,
  options: Pick<AnalyzeOptions, 'platform' | 'source'>,
  use: (image: ResolvedImage) => Promise<T>,
): Promise<T> {
  const source = await openImageSource(reference, options.source);
  try {
    return await use(
      await source.resolve(options.platform === undefined ? {} : { platform: options.platform }),
    );
  } finally {
    await source.close();
  }
}

function imageInfo(image: ResolvedImage): ImageInfo {
  return {
    reference: image.reference,
    source: image.source,
    digest: image.manifestDigest,
    id: image.configDigest,
    platform: image.platform,
    user: image.config.config?.User ?? '',
  };
}

/** Layers already read (or being read), by diff_id: what two images share is read once. A Map is one. */
export interface LayerCache {
  get(diffId: string): Promise<LayerContents> | undefined;
  set(diffId: string, read: Promise<LayerContents>): unknown;
}

export async function analyzeResolved(
  image: ResolvedImage,
  concurrency: number,
  cache: LayerCache = new Map(),
): Promise<Analysis> {
  const limit = pLimit(Math.max(1, concurrency));
  // The first failure is the answer: stop the other layers instead of reading them to the end.
  const abort = new AbortController();
  const contents = await Promise.all(
    image.layers.map((layer, index) => {
      const cached = layer.diffId === null ? undefined : cache.get(layer.diffId);
      // A read another analysis started may be given up when that analysis fails on a layer of
      // its own: then this one reads the layer itself instead of failing with it.
      if (cached !== undefined) return cached.catch(() => readOwn(layer, index));
      return readOwn(layer, index);
    }),
  );
  function readOwn(layer: LayerBlob, index: number): Promise<LayerContents> {
    const read = limit(() =>
      readLayer(layer.open, {
        label: `layer ${index}`,
        digest: layer.verified === true ? null : (layer.descriptor?.digest ?? null),
        size: layer.descriptor?.size ?? null,
        diffId: layer.diffId,
        signal: abort.signal,
      }),
    ).catch((err: unknown) => {
      abort.abort();
      throw err;
    });
    if (layer.diffId !== null) cache.set(layer.diffId, read);
    return read;
  }
  return buildAnalysis({
    image: imageInfo(image),
    config: image.config,
    layers: image.layers.map((layer) => ({ diffId: layer.diffId, digest: layer.descriptor?.digest ?? null })),
    contents,
  });
}

/** What a layer's media type says of its compression (only used where the bytes are not read). */
function declaredCompression(mediaType: string | undefined): Compression {
  if (mediaType === undefined) return 'gzip';
  if (mediaType.includes('zstd')) return 'zstd';
  if (mediaType.includes('gzip') || mediaType.endsWith('.tar.gzip')) return 'gzip';
  return mediaType.endsWith('.tar') || mediaType.endsWith('diff.tar') ? 'none' : 'gzip';
}

/**
 * --no-layers: an analysis from the manifest and config alone. Compressed layer sizes come from
 * the manifest, history and user from the config; file-level metrics are not computed.
 */
export function analyzeMetadata(image: ResolvedImage): Analysis {
  const contents: LayerContents[] = image.layers.map((layer) => ({
    entries: new EntryTable(),
    tarSizeBytes: 0,
    uncompressedBytes: 0,
    storedBytes: layer.descriptor?.size ?? 0,
    compression: declaredCompression(layer.descriptor?.mediaType),
    warnings: [],
  }));
  const analysis = buildAnalysis({
    image: imageInfo(image),
    config: image.config,
    layers: image.layers.map((layer) => ({ diffId: layer.diffId, digest: layer.descriptor?.digest ?? null })),
    contents,
  });
  return { ...analysis, metadataOnly: true };
}
