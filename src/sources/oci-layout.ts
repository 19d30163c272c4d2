import { InputFormatError } from '../errors.js';
import type { Descriptor, ImageConfig, PlatformIndex, SourceKind } from '../model/index.js';
import type { ArchiveFiles } from './archive-files.js';
import { configPlatform } from './config-platform.js';
import type { ImageSource, ResolveOptions, ResolvedImage } from './image-source.js';
import {
  checkLayerCount,
  isIndexMediaType,
  toImageConfig,
  toImageIndex,
  toImageManifest,
} from './image-documents.js';
import { MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES } from '../model/index.js';
import { readJsonMember } from './json-member.js';
import { checkSinglePlatform, indexPlatforms, selectPlatformEntry } from './platform.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';
/** Nested indexes deeper than this are a loop or an attack, not an image. */
const MAX_INDEX_DEPTH = 4;

/** An OCI image layout (directory, or packed as a tar for oci-archive): index.json + blobs/. */
export class OciLayoutSource implements ImageSource {
  constructor(
    private readonly files: ArchiveFiles,
    private readonly reference: string,
    private readonly kind: Extract<SourceKind, 'oci-layout' | 'oci-archive'>,
    private readonly tag: string | null,
  ) {}

  async resolve(options: ResolveOptions): Promise<ResolvedImage> {
    if (!(await this.files.has('oci-layout'))) {
      throw new InputFormatError(`${this.files.location}: not an OCI image layout (no oci-layout file)`);
    }
    const index = toImageIndex(
      await readJsonMember(this.files, 'index.json', MAX_MANIFEST_BYTES),
      `${this.files.location}: index.json`,
    );
    const candidates = this.byTag(index.manifests);
    let descriptor = selectPlatformEntry(candidates, options.platform, this.files.location);
    let platforms = indexPlatforms(candidates);
    let chosenFrom: PlatformIndex | undefined = platforms === null ? undefined : { digest: null, platforms };
    for (let depth = 0; isIndexMediaType(descriptor.mediaType); depth++) {
      if (depth >= MAX_INDEX_DEPTH)
        throw new InputFormatError(`${this.files.location}: image indexes nest too deep`);
      const nested = toImageIndex(
        await this.readBlobJson(descriptor, MAX_MANIFEST_BYTES),
        this.blobWhat(descriptor),
      );
      platforms = indexPlatforms(nested.manifests);
      if (platforms !== null) chosenFrom = { digest: descriptor.digest, platforms };
      descriptor = selectPlatformEntry(nested.manifests, options.platform, this.blobWhat(descriptor));
    }
    const manifest = toImageManifest(
      await this.readBlobJson(descriptor, MAX_MANIFEST_BYTES),
      this.blobWhat(descriptor),
    );
    const config: ImageConfig = toImageConfig(
      await this.readBlobJson(manifest.config, MAX_CONFIG_BYTES),
      this.blobWhat(manifest.config),
    );
    checkLayerCount(config, manifest.layers.length, this.files.location);
    const platform = configPlatform(config) ?? descriptor.platform ?? null;
    // Chosen from an index by platform, the image matches it; alone, it is checked here.
    if (chosenFrom === undefined) checkSinglePlatform(this.files.location, options.platform, platform);
    const diffIds = config.rootfs?.diff_ids ?? [];
    const layers = await Promise.all(
      manifest.layers.map(async (layer, i) => {
        const name = this.blobName(layer);
        if (!(await this.files.has(name))) {
          throw new InputFormatError(`${this.files.location}: layer blob ${layer.digest} is missing`);
        }
        return {
          descriptor: layer,
          diffId: diffIds[i] ?? null,
          open: async () => this.files.open(name),
          region: () => this.files.region(name),
        };
      }),
    );
    return {
      reference: this.reference,
      source: this.kind,
      manifestDigest: descriptor.digest,
      configDigest: manifest.config.digest,
      platform,
      ...(chosenFrom === undefined ? {} : { index: chosenFrom }),
      config,
      layers,
    };
  }

  async close(): Promise<void> {}

  /** With a tag, only the entries named by it; without, all of them, unless they name several images. */
  private byTag(entries: Descriptor[]): Descriptor[] {
    const tags = [...new Set(entries.map(refName).filter((name): name is string => name !== null))];
    if (this.tag === null) {
      if (tags.length > 1) {
        throw new InputFormatError(
          `${this.files.location}: the layout holds several images (${tags.join(', ')}); name one as oci:DIR:TAG`,
        );
      }
      return entries;
    }
    const tagged = entries.filter((entry) => refName(entry) === this.tag);
    if (tagged.length === 0) {
      throw new InputFormatError(
        `${this.files.location}: no image tagged "${this.tag}"; tags: ${tags.length > 0 ? tags.join(', ') : 'none'}`,
      );
    }
    return tagged;
  }

  private blobName(descriptor: Descriptor): string {
    const [algorithm, hex] = descriptor.digest.split(':');
    if (!algorithm || !hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-f0-9]+$/.test(hex)) {
      throw new InputFormatError(`${this.files.location}: malformed digest "${descriptor.digest}"`);
    }
    return `blobs/${algorithm}/${hex}`;
  }

  private blobWhat(descriptor: Descriptor): string {
    return `${this.files.location}: blob ${descriptor.digest}`;
  }

  private async readBlobJson(descriptor: Descriptor, maxBytes: number): Promise<unknown> {
    const name = this.blobName(descriptor);
    if (!(await this.files.has(name))) throw new InputFormatError(`${this.blobWhat(descriptor)} is missing`);
    return readJsonMember(this.files, name, Math.min(maxBytes, descriptor.size), descriptor.digest);
  }
}

function refName(entry: Descriptor): string | null {
  const name = entry.annotations?.[REF_NAME];
  if (name !== undefined) return name;
  const containerd = entry.annotations?.[CONTAINERD_NAME];
  return containerd === undefined ? null : containerd.slice(containerd.lastIndexOf(':') + 1);
}
