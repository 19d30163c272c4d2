import type { KnownFiles } from '../cache/index.js';
import { InputFormatError } from '../errors.js';
import { MEDIA_TYPES, type Descriptor, type ImageConfig } from '../model/index.js';
import type { ArchiveFiles } from './archive-files.js';
import type { ImageSource, LayerBlob, ResolvedImage, ResolveOptions } from './image-source.js';
import { checkLayerCount, toImageConfig } from './image-documents.js';
import { MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES } from '../model/index.js';
import { isRecord, readJsonMember } from './json-member.js';
import { configPlatform } from './config-platform.js';
import { checkSinglePlatform } from './platform.js';

interface ArchiveManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/**
 * `docker save` archives in all their shapes: legacy (`<id>/layer.tar`), skopeo/podman
 * (`<diffid>.tar`), kaniko (`.tar.gz` members) and Docker >= 25 (`blobs/sha256/...` named by
 * manifest.json). manifest.json is the one index all of them share.
 */
export class DockerArchiveSource implements ImageSource {
  /** `known`: what earlier runs learned of the files, which spares hashing the config again (none with --no-cache). */
  constructor(
    private readonly files: ArchiveFiles,
    private readonly reference: string,
    private readonly known: KnownFiles | null = null,
  ) {}

  async resolve(options: ResolveOptions = {}): Promise<ResolvedImage> {
    const entry = await this.manifestEntry();
    const configDigest = digestFromName(entry.Config);
    const what = `${this.files.location}: ${entry.Config}`;
    const config: ImageConfig = toImageConfig(
      await readJsonMember(this.files, entry.Config, MAX_CONFIG_BYTES, configDigest, this.known),
      what,
    );
    checkLayerCount(config, entry.Layers.length, this.files.location);
    checkSinglePlatform(this.reference, options.platform, configPlatform(config));
    const diffIds = config.rootfs?.diff_ids ?? [];
    const layers = await Promise.all(
      entry.Layers.map(async (name, i): Promise<LayerBlob> => {
        if (!(await this.files.has(name))) {
          throw new InputFormatError(
            `${this.files.location}: layer ${name} listed in manifest.json is missing`,
          );
        }
        return {
          descriptor: await this.blobDescriptor(name),
          // The member's size in the outer tar: known from the tar index, nothing read.
          storedSize: await this.files.size(name),
          diffId: diffIds[i] ?? null,
          open: async () => this.files.open(name),
          region: () => this.files.region(name),
        };
      }),
    );
    return {
      reference: this.reference,
      source: 'docker-archive',
      manifestDigest: await this.manifestDigest(),
      configDigest,
      platform: configPlatform(config),
      config,
      layers,
    };
  }

  async close(): Promise<void> {}

  private async manifestEntry(): Promise<ArchiveManifestEntry> {
    const manifest = await readJsonMember(this.files, 'manifest.json', MAX_MANIFEST_BYTES);
    if (!Array.isArray(manifest) || manifest.length === 0) {
      throw new InputFormatError(`${this.files.location}: manifest.json lists no image`);
    }
    const first: unknown = manifest[0];
    if (
      !isRecord(first) ||
      typeof first['Config'] !== 'string' ||
      !Array.isArray(first['Layers']) ||
      !first['Layers'].every((layer) => typeof layer === 'string')
    ) {
      throw new InputFormatError(
        `${this.files.location}: manifest.json has no Config and Layers for the image`,
      );
    }
    return first as unknown as ArchiveManifestEntry;
  }

  /** Docker >= 25 names layers by digest; older layouts give no blob digest (the diff_id still checks them). */
  private async blobDescriptor(name: string): Promise<Descriptor | null> {
    const digest = digestFromName(name);
    if (digest === null) return null;
    return { mediaType: MEDIA_TYPES.ociLayer, digest, size: await this.files.size(name) };
  }

  /** Docker >= 25 also writes index.json, whose entry is the image's manifest digest. */
  private async manifestDigest(): Promise<string | null> {
    if (!(await this.files.has('index.json'))) return null;
    const index = await readJsonMember(this.files, 'index.json', MAX_MANIFEST_BYTES);
    if (!isRecord(index) || !Array.isArray(index['manifests']) || index['manifests'].length !== 1)
      return null;
    const entry: unknown = index['manifests'][0];
    return isRecord(entry) && typeof entry['digest'] === 'string' ? entry['digest'] : null;
  }
}

/** The names that hold a digest, as what comes before and after its 64 hex digits. */
const DIGEST_NAMES: readonly (readonly [string, string])[] = [
  ['blobs/sha256/', ''],
  ['', '.json'],
  ['sha256:', ''],
];
const SHA256_HEX = /^[a-f0-9]{64}$/;

/**
 * "blobs/sha256/<hex>" (Docker >= 25), "<hex>.json" (legacy config) and "sha256:<hex>" (kaniko
 * config) name their digest. Tested by shape first: one expression, run only on names of the
 * right length and ends (a small image's start compiles no pattern per shape).
 */
export function digestFromName(name: string): string | null {
  for (const [before, after] of DIGEST_NAMES) {
    if (name.length !== before.length + 64 + after.length) continue;
    if (!name.startsWith(before) || !name.endsWith(after)) continue;
    const hex = name.slice(before.length, before.length + 64);
    if (SHA256_HEX.test(hex)) return `sha256:${hex}`;
  }
  return null;
}
