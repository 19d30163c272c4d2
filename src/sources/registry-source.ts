import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputFormatError, RegistryError } from '../errors.js';
import type { RemoteLayer } from '../layers/index.js';
import {
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  MAX_MANIFEST_BYTES,
  MEDIA_TYPES,
  type Platform,
  type PlatformIndex,
} from '../model/index.js';
import { type ImageReference, formatImageReference, manifestReference } from '../reference/index.js';
import {
  type BlobCache,
  type DownloadProgress,
  type FetchedManifest,
  RegistryClient,
  type RegistryClientOptions,
  type RegistryClientPool,
} from '../registry/index.js';
import type { ImageSource, LayerBlob, ResolveOptions, ResolvedImage } from './image-source.js';
import { configPlatform } from './config-platform.js';
import { checkLayerCount, toImageConfig, toImageManifest } from './image-documents.js';
import { checkSinglePlatform, indexPlatforms, selectPlatformEntry } from './platform.js';

export interface RegistrySourceOptions extends RegistryClientOptions {
  /** Blob cache; null with --no-cache. */
  cache: BlobCache | null;
  progress?: DownloadProgress;
  /** Clients shared with other sources of the run (which closes them); absent: one of its own. */
  clients?: RegistryClientPool;
}

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList]);
const MANIFEST_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (error) {
    throw new InputFormatError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The media type a manifest names itself by ('' when none: its shape decides). */
function declaredMediaType(bytes: Buffer): string {
  try {
    const { mediaType } = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
    return typeof mediaType === 'string' ? mediaType : '';
  } catch {
    return '';
  }
}

function isIndex(manifest: FetchedManifest, parsed: { manifests?: unknown; layers?: unknown }): boolean {
  if (INDEX_TYPES.has(manifest.mediaType)) return true;
  if (MANIFEST_TYPES.has(manifest.mediaType)) return false;
  return Array.isArray(parsed.manifests) && !Array.isArray(parsed.layers);
}

/**
 * An image in a registry: manifest (after platform selection), config, and layers that stream
 * from the registry while being copied into the blob cache, or straight from the cache.
 */
export class RegistrySource implements ImageSource {
  private readonly client: RegistryClient;
  /** Whether `close` closes the client (not when it is the run's, from a pool). */
  private readonly ownsClient: boolean;
  private readonly cache: BlobCache | null;
  /** Ends this image's run on the blob cache (its blobs then may make room for others). */
  private readonly endCacheRun: (() => void) | undefined;
  private readonly progress: DownloadProgress | undefined;

  constructor(
    readonly reference: ImageReference,
    options: RegistrySourceOptions,
  ) {
    this.ownsClient = options.clients === undefined;
    this.client =
      options.clients?.get(reference.registry, reference.repository) ??
      new RegistryClient(reference.registry, options, reference.repository);
    this.cache = options.cache;
    this.endCacheRun = options.cache?.beginRun();
    this.progress = options.progress;
  }

  async resolve(options: ResolveOptions): Promise<ResolvedImage> {
    const name = formatImageReference(this.reference);
    let fetched = await this.getManifest(manifestReference(this.reference));
    let parsed = parseJson<ImageManifest & ImageIndex>(fetched.bytes, `the manifest of ${name}`);
    let indexPlatform: Platform | null = null;
    let chosenFrom: PlatformIndex | undefined;
    // An index may nest one more index (rare, but the OCI spec allows it); follow at most two levels.
    for (let depth = 0; isIndex(fetched, parsed); depth++) {
      if (depth === 2) {
        throw new RegistryError(`${name}: indexes nested deeper than two levels are not followed`);
      }
      const entry = selectPlatformEntry(parsed.manifests ?? [], options.platform, name);
      const platforms = indexPlatforms(parsed.manifests ?? []);
      if (platforms !== null) chosenFrom = { digest: fetched.digest, platforms };
      indexPlatform = entry.platform ?? indexPlatform;
      fetched = await this.getManifest(entry.digest);
      parsed = parseJson<ImageManifest & ImageIndex>(
        fetched.bytes,
        `the manifest of ${name}@${entry.digest}`,
      );
    }
    if (parsed.config === undefined || !Array.isArray(parsed.layers)) {
      throw new RegistryError(
        `${name}: the manifest (${fetched.mediaType || 'no media type'}) has no config or layers`,
        { hint: 'this is not a container image (an artifact or a helm chart?)' },
      );
    }
    // The same checks as for local images: a registry is as much a stranger as a tarball.
    const manifest: ImageManifest = toImageManifest(parsed, `the manifest of ${name}`);
    options.onLayerSizes?.(manifest.layers.map((layer) => layer.size));
    const config = await this.readConfig(manifest.config);
    checkLayerCount(config, manifest.layers.length, name);
    const platform = configPlatform(config) ?? indexPlatform;
    if (indexPlatform === null) checkSinglePlatform(name, options.platform, platform);
    this.progress?.blobsPlanned(manifest.layers.map((d) => ({ digest: d.digest, size: d.size })));
    const diffIds = config.rootfs?.diff_ids ?? [];
    const layers: LayerBlob[] = manifest.layers.map((descriptor, i) => ({
      descriptor,
      diffId: diffIds[i] ?? null,
      open: () => this.openLayer(descriptor),
      remote: () => this.remoteLayer(descriptor),
      // Downloads are checked by the client, cached blobs when they are looked up.
      verified: true,
    }));
    return {
      reference: name,
      source: 'registry',
      manifestDigest: fetched.digest,
      configDigest: manifest.config.digest,
      platform,
      ...(chosenFrom === undefined ? {} : { index: chosenFrom }),
      config,
      layers,
    };
  }

  /**
   * A manifest; one asked for by digest is taken from the blob cache when it is there (checked
   * against the digest) and kept there, so a digest reference whose manifest, config and layer
   * results are all cached needs no network at all. A tag always asks the registry.
   */
  private async getManifest(reference: string): Promise<FetchedManifest> {
    const byDigest = reference.includes(':');
    if (byDigest && this.cache !== null) {
      const bytes = await this.cache.readByDigest(reference, MAX_MANIFEST_BYTES);
      if (bytes !== null) return { mediaType: declaredMediaType(bytes), digest: reference, bytes };
    }
    const fetched = await this.client.getManifest(this.reference.repository, reference);
    if (byDigest) await this.cache?.put(fetched.digest, fetched.bytes);
    return fetched;
  }

  private async readConfig(descriptor: Descriptor): Promise<ImageConfig> {
    let bytes = this.cache === null ? null : await this.cache.read(descriptor.digest, descriptor.size);
    if (bytes === null) {
      bytes = await this.client.getBlob(this.reference.repository, descriptor);
      await this.cache?.put(descriptor.digest, bytes);
    }
    const what = `the image config ${descriptor.digest}`;
    return toImageConfig(parseJson<unknown>(bytes, what), what);
  }

  private async openLayer(descriptor: Descriptor): Promise<Readable> {
    const progress = this.progress;
    const cachedPath =
      this.cache === null ? null : await this.cache.lookup(descriptor.digest, descriptor.size);
    if (cachedPath !== null) {
      progress?.blobStarted(descriptor.digest, descriptor.size, true);
      const stream = createReadStream(cachedPath, { highWaterMark: 1024 * 1024 });
      stream.once('end', () => progress?.blobFinished(descriptor.digest));
      return stream;
    }
    progress?.blobStarted(descriptor.digest, descriptor.size, false);
    const download = await this.client.openBlob(this.reference.repository, descriptor, {
      ...(progress !== undefined ? { onBytes: (n: number) => progress.blobBytes(descriptor.digest, n) } : {}),
    });
    download.once('end', () => progress?.blobFinished(descriptor.digest));
    if (this.cache === null) return download;
    return this.cache.tee(download, descriptor.digest, descriptor.size);
  }

  /**
   * A layer a worker thread downloads (and caches) itself, so no bytes pass through this thread;
   * null when the cache holds it (the worker is then given the cached bytes through `open`).
   */
  private async remoteLayer(descriptor: Descriptor): Promise<RemoteLayer | null> {
    if (this.cache !== null && (await this.cache.holds(descriptor.digest, descriptor.size))) return null;
    const blob = await this.client.remoteBlob(
      this.reference.repository,
      descriptor,
      this.cache?.settings() ?? null,
    );
    const progress = this.progress;
    if (progress === undefined) return { blob };
    progress.blobStarted(descriptor.digest, descriptor.size, false);
    return {
      blob,
      onBytes: (bytes) => progress.blobBytes(descriptor.digest, bytes),
      onEnd: () => progress.blobFinished(descriptor.digest),
    };
  }

  async close(): Promise<void> {
    this.endCacheRun?.();
    if (this.ownsClient) this.client.close();
  }
}
