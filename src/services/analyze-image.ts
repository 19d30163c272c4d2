import { buildAnalysis, buildAnalysisWith, comparedBodies, LayerPaths } from '../analysis/index.js';
import {
  IN_PROCESS_MAX_BYTES,
  LayerReader,
  lowerHelperThreads,
  peekStream,
  processContentKey,
  sniffCompression,
} from '../layers/index.js';
import { sqliteForRpm } from '../packages/index.js';
import {
  EntryTable,
  type Analysis,
  type Compression,
  type ImageInfo,
  type LayerContents,
  type Platform,
  type SourceKind,
} from '../model/index.js';
import {
  localArchiveBytes,
  openImageSource,
  type LayerBlob,
  type OpenSourceOptions,
  type ResolvedImage,
  type ResolveOptions,
} from '../sources/index.js';
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
  if (options.metadataOnly === true) return withResolvedImage(reference, options, analyzeMetadata);
  const concurrency = options.concurrency ?? DEFAULT_LAYER_CONCURRENCY;
  const reader = new LayerReader({ concurrency });
  // A large archive has large layers: the worker threads start while the image is resolved. A
  // registry's manifest says so before its config is fetched: they start during that round trip.
  if ((localArchiveBytes(reference) ?? 0) > IN_PROCESS_MAX_BYTES) reader.prestart();
  const onLayerSizes = (sizes: readonly number[]): void => {
    if (sizes.some((size) => size > IN_PROCESS_MAX_BYTES)) reader.prestart();
  };
  try {
    return await withResolvedImage(
      reference,
      options,
      (image) => analyzeResolved(image, concurrency, new Map(), reader, true),
      onLayerSizes,
    );
  } finally {
    // Closed already where the image was resolved; not where resolving it failed.
    await reader.close();
  }
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
  onLayerSizes?: ResolveOptions['onLayerSizes'],
): Promise<T> {
  const source = await openImageSource(reference, options.source);
  try {
    return await use(
      await source.resolve({
        ...(options.platform === undefined ? {} : { platform: options.platform }),
        ...(onLayerSizes === undefined ? {} : { onLayerSizes }),
      }),
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
    ...(image.index === undefined ? {} : { index: image.index }),
  };
}

/** Layers already read (or being read), by diff_id: what two images share is read once. A Map is one. */
export interface LayerCache {
  get(diffId: string): Promise<LayerContents> | undefined;
  set(diffId: string, read: Promise<LayerContents>): unknown;
}

/**
 * Reads every layer of a resolved image (through `reader`, or a reader of its own; a layer whose
 * result the image's layer-result cache holds is not read) and analyzes the result. Layers run
 * as one pipeline: each is opened, verified, decompressed and parsed while the others are. A
 * worker thread idle once the layers are read counts dive's waste while this thread merges them.
 * The reader is closed once its threads are done (the layers read, and that count) where
 * `closeReader` says so: by default when it is its own. `hashEveryBody`: the files will be compared
 * with another image's (`diff`), so every body is hashed as it is read, even with nothing stored.
 */
export async function analyzeResolved(
  image: ResolvedImage,
  concurrency: number,
  cache: LayerCache = new Map(),
  reader?: LayerReader,
  closeReader = reader === undefined,
  hashEveryBody = false,
): Promise<Analysis> {
  if (givesWayToReaders(image)) lowerHelperThreads();
  const layerReader = reader ?? new LayerReader({ concurrency });
  // The first failure is the answer: stop the other layers instead of reading them to the end.
  // Made when a layer is read or fails: the AbortController global loads Node's abort module,
  // about 1 ms of the start of a run whose layer results are all stored.
  let abort: AbortController | undefined;
  const aborter = (): AbortController => (abort ??= new AbortController());
  // Each layer's paths are numbered as it arrives, while the others are still being read: the
  // main thread often waits for a worker's last layer, and that is work the analysis then skips.
  const paths = new LayerPaths();
  const numbered = (index: number) => (contents: LayerContents) => {
    paths.add(index, contents.entries);
    return contents;
  };
  try {
    const contents = await Promise.all(
      image.layers.map((layer, index) => {
        const cached = layer.diffId === null ? undefined : cache.get(layer.diffId);
        // A read another analysis started may be given up when that analysis fails on a layer of
        // its own: then this one reads the layer itself instead of failing with it.
        if (cached !== undefined)
          return cached
            .catch(() => readOwn(layer, index))
            .then((contents) => storedHere(contents, image, layer))
            .then(numbered(index));
        return readOwn(layer, index).then(numbered(index));
      }),
    );
    await image.layerResults?.knownFiles.save();
    const tables = contents.map(({ entries }) => entries);
    // The large bodies the reads left unhashed that the merge compares, hashed on both cores first.
    if (tables.some((table) => table.hasDeferredContent()))
      await layerReader.hashBodies(comparedBodies(tables, paths));
    return await buildAnalysisWith(
      {
        image: imageInfo(image),
        config: image.config,
        layers: image.layers.map((layer) => ({
          diffId: layer.diffId,
          digest: layer.descriptor?.digest ?? null,
        })),
        contents,
        sqlite: await sqliteForRpm(contents),
        paths,
      },
      (waste) => {
        const counting = layerReader.countDiveWaste(waste);
        // The threads' memory is freed once they are done: before the rest of the analysis
        // where none counts, once the count is in where one does.
        if (closeReader) {
          const close = (): void => void layerReader.close();
          if (counting === null) close();
          else counting.then(close, close);
        }
        return counting;
      },
    );
  } finally {
    if (closeReader) await layerReader.close();
  }
  function readOwn(layer: LayerBlob, index: number): Promise<LayerContents> {
    const label = `layer ${index}`;
    const results = image.layerResults ?? null;
    const read = (async () => {
      const stored =
        results === null
          ? null
          : await storedLayerResult(results, image.source, layer, label, (region) =>
              layerReader.digest(region, label, aborter().signal),
            );
      logLayer(label, layer, stored === null ? 'read' : 'cached');
      if (stored !== null) return stored;
      // Hashed under the stored results' key where they are used: this layer meets them.
      const contentKey = (results === null ? null : await results.contentKey()) ?? processContentKey();
      const contents = await layerReader.read(
        { open: layer.open, region: (await layer.region?.()) ?? null, remote: layer.remote },
        {
          label,
          digest: layer.verified === true ? null : (layer.descriptor?.digest ?? null),
          sourceVerifies: layer.verified === true,
          size: layer.descriptor?.size ?? null,
          diffId: layer.diffId,
          contentKey,
          signal: aborter().signal,
          // Nothing stored: a large body is hashed only if this image compares it with another.
          deferBodyHashes: results === null && !hashEveryBody,
        },
      );
      if (results !== null) await storeLayerResult(results, image.source, layer, label, contents);
      return contents;
    })().catch((err: unknown) => {
      aborter().abort();
      throw err;
    });
    if (layer.diffId !== null) cache.set(layer.diffId, read);
    return read;
  }
}

/**
 * Contents shared by diff_id (the same files) as this image stores them: another image may hold
 * the layer compressed otherwise (gzip there, zstd or plain here), and its stored size and
 * compression are this blob's. A blob of the same stored size is taken as the same blob.
 */
async function storedHere(
  contents: LayerContents,
  image: ResolvedImage,
  layer: LayerBlob,
): Promise<LayerContents> {
  const storedBytes = layer.descriptor?.size ?? layer.storedSize;
  if (storedBytes === undefined || storedBytes === contents.storedBytes) return contents;
  return { ...contents, storedBytes, compression: await storedCompression(image, layer) };
}

/** The sources whose layers are read from local files, into reused buffers (no garbage per chunk). */
const LOCAL_FILES: ReadonlySet<SourceKind> = new Set(['docker-archive', 'oci-archive', 'oci-layout']);

/**
 * Whether V8's helper threads are to give the cores to the layer readers (helper-threads.ts):
 * where the layers are local files. Not for a download or a daemon's stream, whose spent
 * buffers those threads also free (lowered, a registry pull peaked at 210 MiB instead of
 * 150), nor for zstd layers: decoded as WebAssembly (Node 20 and 22), their code is moved to
 * V8's fast tier on those threads as it runs (the zstd layout read 15 % slower), and Node 24's
 * own decoder gained nothing for 11-15 MiB more.
 */
function givesWayToReaders(image: ResolvedImage): boolean {
  return (
    LOCAL_FILES.has(image.source) &&
    !image.layers.some((layer) => declaredCompression(layer.descriptor?.mediaType) === 'zstd')
  );
}

/** What a layer's media type says of its compression, where the bytes are not read (or not yet). */
function declaredCompression(mediaType: string | undefined): Compression {
  if (mediaType === undefined) return 'gzip';
  if (mediaType.includes('zstd')) return 'zstd';
  if (mediaType.includes('gzip') || mediaType.endsWith('.tar.gzip')) return 'gzip';
  return mediaType.endsWith('.tar') || mediaType.endsWith('diff.tar') ? 'none' : 'gzip';
}

/**
 * A stored layer's compression without reading the layer: from its first bytes where the blob
 * is a local file or archive member (a few bytes read), from its media type from a registry
 * (where opening the blob would download it).
 */
async function storedCompression(image: ResolvedImage, layer: LayerBlob): Promise<Compression> {
  if (image.source === 'registry' || image.source === 'docker-daemon')
    return declaredCompression(layer.descriptor?.mediaType);
  const { head, stream } = await peekStream(await layer.open(), 4);
  stream.destroy();
  return sniffCompression(head);
}

/**
 * --no-layers: an analysis from the manifest and config alone. Stored layer sizes come from the
 * manifest or the archive's member sizes, history and user from the config; file-level metrics
 * are not computed (reports show them as unknown: `src/model/known-sizes.ts`). A layer stored
 * uncompressed has its tar's size as its size.
 */
export async function analyzeMetadata(image: ResolvedImage): Promise<Analysis> {
  const contents: LayerContents[] = await Promise.all(
    image.layers.map(async (layer) => {
      const storedBytes = layer.descriptor?.size ?? layer.storedSize ?? 0;
      const compression = await storedCompression(image, layer);
      return {
        entries: new EntryTable(),
        tarSizeBytes: compression === 'none' ? storedBytes : 0,
        uncompressedBytes: 0,
        storedBytes,
        compression,
        warnings: [],
        // No file is read, so no hash is made: any key's id would do.
        contentKeyId: processContentKey().id,
      };
    }),
  );
  const analysis = buildAnalysis({
    image: imageInfo(image),
    config: image.config,
    layers: image.layers.map((layer) => ({ diffId: layer.diffId, digest: layer.descriptor?.digest ?? null })),
    contents,
  });
  return { ...analysis, metadataOnly: true };
}
