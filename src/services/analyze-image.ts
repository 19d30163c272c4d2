import { buildAnalysis } from '../analysis/index.js';
import { LayerReader } from '../layers/index.js';
import {
  EntryTable,
  type Analysis,
  type Compression,
  type ImageInfo,
  type LayerContents,
  type Platform,
} from '../model/index.js';
import { openImageSource, type OpenSourceOptions, type ResolvedImage } from '../sources/index.js';
import { logLayer, storedLayerResult, storeLayerResult } from './layer-results.js';

export interface AnalyzeOptions {
  platform?: Platform;
  /** Registry/daemon options (credentials, TLS, cache, progress). */
  source?: OpenSourceOptions;
  /** --no-layers: manifest, config and history only; no layer is downloaded or read. */
  metadataOnly?: boolean;
  /** Small layers read at once on the main thread (large ones go to one worker thread per core). */
  concurrency?: number;
}

export const DEFAULT_LAYER_CONCURRENCY = 3;

/** Resolves the image, streams every layer through the reader, and analyzes the result. */
export async function analyzeImage(reference: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const source = await openImageSource(reference, options.source);
  try {
    const image = await source.resolve(options.platform === undefined ? {} : { platform: options.platform });
    if (options.metadataOnly === true) return analyzeMetadata(image);
    return await analyzeResolved(image, options.concurrency ?? DEFAULT_LAYER_CONCURRENCY);
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

/** Layers already read (or being read), by diff_id: what two images share is read once. */
export type LayerCache = Map<string, Promise<LayerContents>>;

/**
 * Reads every layer of a resolved image (through `reader`, or a reader of its own closed at the
 * end; a layer whose result the image's layer-result cache holds is not read) and analyzes the
 * result. Layers run as one pipeline: each is opened, verified,
 * decompressed and parsed while the others are.
 */
export async function analyzeResolved(
  image: ResolvedImage,
  concurrency: number,
  cache: LayerCache = new Map(),
  reader?: LayerReader,
): Promise<Analysis> {
  const layerReader = reader ?? new LayerReader({ concurrency });
  // The first failure is the answer: stop the other layers instead of reading them to the end.
  const abort = new AbortController();
  let contents: LayerContents[];
  try {
    contents = await Promise.all(
      image.layers.map(async (layer, index) => {
        const cached = layer.diffId === null ? undefined : cache.get(layer.diffId);
        if (cached !== undefined) return cached;
        const label = `layer ${index}`;
        const results = image.layerResults ?? null;
        const read = (async () => {
          const stored =
            results === null ? null : await storedLayerResult(results, image.source, layer, label);
          logLayer(label, layer, stored === null ? 'read' : 'cached');
          if (stored !== null) return stored;
          const contents = await layerReader.read(
            { open: layer.open, region: (await layer.region?.()) ?? null },
            {
              label,
              digest: layer.verified === true ? null : (layer.descriptor?.digest ?? null),
              size: layer.descriptor?.size ?? null,
              diffId: layer.diffId,
              signal: abort.signal,
            },
          );
          if (results !== null) await storeLayerResult(results, layer, label, contents);
          return contents;
        })().catch((err: unknown) => {
          abort.abort();
          throw err;
        });
        if (layer.diffId !== null) cache.set(layer.diffId, read);
        return read;
      }),
    );
  } finally {
    if (reader === undefined) await layerReader.close();
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
