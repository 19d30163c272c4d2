import { InputFormatError } from '../errors.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../model/index.js';
import { MEDIA_TYPES } from '../model/index.js';
import { isRecord } from './json-member.js';

/** Checks the parts of an image config the analysis relies on; the rest passes through. */
export function toImageConfig(value: unknown, what: string): ImageConfig {
  if (!isRecord(value)) throw new InputFormatError(`${what}: the image config is not a JSON object`);
  const rootfs = value['rootfs'];
  if (rootfs !== undefined) {
    if (!isRecord(rootfs) || !Array.isArray(rootfs['diff_ids']) || !rootfs['diff_ids'].every(isString)) {
      throw new InputFormatError(`${what}: the image config's rootfs.diff_ids is not a list of digests`);
    }
  }
  const history = value['history'];
  if (history !== undefined && history !== null && (!Array.isArray(history) || !history.every(isRecord))) {
    throw new InputFormatError(`${what}: the image config's history is not a list of entries`);
  }
  const config = value['config'];
  if (config !== undefined && config !== null && !isRecord(config)) {
    throw new InputFormatError(`${what}: the image config's "config" is not an object`);
  }
  return value as ImageConfig;
}

export function toDescriptor(value: unknown, what: string): Descriptor {
  if (
    !isRecord(value) ||
    !isString(value['digest']) ||
    typeof value['size'] !== 'number' ||
    !Number.isSafeInteger(value['size']) ||
    value['size'] < 0
  ) {
    throw new InputFormatError(`${what}: a descriptor lacks a valid digest or size`);
  }
  return { ...value, mediaType: isString(value['mediaType']) ? value['mediaType'] : '' } as Descriptor;
}

/** Accepts OCI image manifests and Docker schema 2; refuses schema 1 clearly. */
export function toImageManifest(value: unknown, what: string): ImageManifest {
  if (!isRecord(value)) throw new InputFormatError(`${what}: the manifest is not a JSON object`);
  const mediaType = value['mediaType'];
  if (
    value['schemaVersion'] === 1 ||
    mediaType === MEDIA_TYPES.dockerManifestV1 ||
    mediaType === MEDIA_TYPES.dockerManifestV1Signed
  ) {
    throw new InputFormatError(
      `${what}: Docker schema 1 manifests are not supported (deprecated since 2017)`,
      {
        hint: 'push the image again with a current Docker or skopeo, which writes schema 2',
      },
    );
  }
  if (mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList) {
    throw new InputFormatError(`${what}: expected an image manifest, found an index`);
  }
  if (!Array.isArray(value['layers'])) throw new InputFormatError(`${what}: the manifest has no layers list`);
  return {
    schemaVersion: Number(value['schemaVersion']),
    mediaType: isString(mediaType) ? mediaType : MEDIA_TYPES.ociManifest,
    config: toDescriptor(value['config'], `${what} config`),
    layers: value['layers'].map((layer, i) => toDescriptor(layer, `${what} layer ${i}`)),
  };
}

export function toImageIndex(value: unknown, what: string): ImageIndex {
  if (!isRecord(value) || !Array.isArray(value['manifests'])) {
    throw new InputFormatError(`${what}: not an image index (no manifests list)`);
  }
  return {
    schemaVersion: Number(value['schemaVersion']),
    mediaType: isString(value['mediaType']) ? value['mediaType'] : MEDIA_TYPES.ociIndex,
    manifests: value['manifests'].map((entry, i) => toDescriptor(entry, `${what} entry ${i}`)),
  };
}

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MEDIA_TYPES.ociIndex || mediaType === MEDIA_TYPES.dockerManifestList;
}

/** diff_ids must match the layers one to one, or every layer-to-history mapping is a guess. */
export function checkLayerCount(config: ImageConfig, layerCount: number, what: string): void {
  const diffIds = config.rootfs?.diff_ids;
  if (diffIds !== undefined && diffIds.length !== layerCount) {
    throw new InputFormatError(
      `${what}: the manifest lists ${layerCount} layers but the config's rootfs.diff_ids lists ${diffIds.length}`,
    );
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
