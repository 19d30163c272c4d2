import type { Readable } from 'node:stream';
import type { LayerResultCache } from '../cache/index.js';
import type { FileRegion, RemoteLayer } from '../layers/index.js';
import type { Descriptor, ImageConfig, Platform, PlatformIndex, SourceKind } from '../model/index.js';

/** One layer of a resolved image: what names it, and how to read its (possibly compressed) bytes. */
export interface LayerBlob {
  /** The blob as the manifest names it; null where the source has no descriptor (legacy docker save). */
  descriptor: Descriptor | null;
  /**
   * Bytes of the blob as stored, where the source knows them without a descriptor (a legacy
   * `docker save` member's size in the outer tar).
   */
  storedSize?: number;
  /** The uncompressed digest from the config's rootfs.diff_ids, where listed. */
  diffId: string | null;
  /** Opens a fresh stream of the stored bytes; may be called more than once. */
  open(): Promise<Readable>;
  /** Where the stored bytes lie in a local file (so a worker thread can read them itself). */
  region?(): Promise<FileRegion>;
  /**
   * How a worker thread downloads the blob itself (a registry blob not in the cache), so its
   * bytes need not pass through the main thread; null: read it through `open` (the cache has it).
   * `open` stays the way on the main thread.
   */
  remote?(): Promise<RemoteLayer | null>;
  /**
   * True when the opened stream fails by itself on bytes that do not match the descriptor's
   * digest (the registry client checks as it downloads), so the reader need not hash them again.
   */
  verified?: boolean;
}

/** An image after manifest resolution and platform selection. */
export interface ResolvedImage {
  reference: string;
  source: SourceKind;
  manifestDigest: string | null;
  configDigest: string | null;
  platform: Platform | null;
  /** The multi-platform index the image was chosen from. */
  index?: PlatformIndex;
  config: ImageConfig;
  layers: LayerBlob[];
  /**
   * Where results of layers read before are kept (set by `openImageSource` from its options,
   * null or absent with --no-cache): the analysis looks there before reading a layer.
   */
  layerResults?: LayerResultCache | null;
}

export interface ResolveOptions {
  /** Wanted platform; undefined means the host's for multi-platform indexes, or the only image. */
  platform?: Platform;
  /**
   * Told the stored sizes of the image's layers as soon as the manifest names them, before the
   * config is fetched, so that a caller starts what reading them needs during that round trip.
   * The registry source calls it; a local archive's size is known before it is opened.
   */
  onLayerSizes?: (sizes: readonly number[]) => void;
}

/** Every transport (registry, archives, layouts, daemon) yields the same thing. */
export interface ImageSource {
  resolve(options: ResolveOptions): Promise<ResolvedImage>;
  close(): Promise<void>;
}
