import { InputFormatError } from '../errors.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../model/index.js';
import { MEDIA_TYPES } from '../model/index.js';
import { isRecord } from './json-member.js';

/**
 * Checks every field the ImageConfig type promises (as Go's decoder would refuse a wrong type,
 * so `docker load` refuses such a config too); other fields pass through unchecked.
 */
export function toImageConfig(value: unknown, what: string): ImageConfig {
  if (!isRecord(value)) throw new InputFormatError(`${what}: the image config is not a JSON object`);
  const refuse = (field: string, expected: string): never => {
    throw new InputFormatError(`${what}: the image config's ${field} is not ${expected}`);
  };
  for (const key of ['architecture', 'os', 'variant', 'created']) {
    if (!optional(value[key], isString)) refuse(key, 'a string');
  }
  const rootfs = value['rootfs'];
  if (rootfs !== undefined) {
    if (!isRecord(rootfs) || !Array.isArray(rootfs['diff_ids']) || !rootfs['diff_ids'].every(isString)) {
      refuse('rootfs.diff_ids', 'a list of digests');
    }
  }
  const history = value['history'];
  if (history !== undefined && history !== null) {
    if (!Array.isArray(history) || !history.every(isRecord)) refuse('history', 'a list of entries');
    (history as Record<string, unknown>[]).forEach((entry, i) => {
      for (const key of ['created', 'created_by', 'author', 'comment']) {
        if (!optional(entry[key], isString)) refuse(`history[${i}].${key}`, 'a string');
      }
      if (!optional(entry['empty_layer'], isBoolean)) refuse(`history[${i}].empty_layer`, 'true or false');
    });
  }
  const config = value['config'];
  if (config !== undefined && config !== null) {
    if (!isRecord(config)) refuse('"config"', 'an object');
    const runtime = config as Record<string, unknown>;
    for (const key of ['User', 'WorkingDir']) {
      if (!optional(runtime[key], isString)) refuse(`config.${key}`, 'a string');
    }
    for (const key of ['Env', 'Entrypoint', 'Cmd']) {
      if (!optional(runtime[key], isStringList)) refuse(`config.${key}`, 'a list of strings');
    }
    if (!optional(runtime['ExposedPorts'], isRecord)) refuse('config.ExposedPorts', 'an object');
    const labels = runtime['Labels'];
    if (!optional(labels, (l) => isRecord(l) && Object.values(l).every(isString))) {
      refuse('config.Labels', 'an object of strings');
    }
  }
  return value as ImageConfig;
}

/** Absent or null (Go's zero value), or of the expected type. */
function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || value === null || check(value);
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
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
  if (mediaType !== undefined && !MANIFEST_MEDIA_TYPES.has(mediaType)) {
    throw new InputFormatError(`${what}: unsupported manifest media type ${JSON.stringify(mediaType)}`);
  }
  if (!Array.isArray(value['layers'])) throw new InputFormatError(`${what}: the manifest has no layers list`);
  const config = toDescriptor(value['config'], `${what} config`);
  // Artifacts (Helm charts, signatures, SBOMs) reuse the manifest format with their own config.
  if (config.mediaType !== '' && !CONFIG_MEDIA_TYPES.has(config.mediaType)) {
    throw new InputFormatError(
      `${what}: not a container image: its config is ${JSON.stringify(config.mediaType)}`,
    );
  }
  return {
    schemaVersion: Number(value['schemaVersion']),
    mediaType: isString(mediaType) ? mediaType : MEDIA_TYPES.ociManifest,
    config,
    layers: value['layers'].map((layer, i) => toDescriptor(layer, `${what} layer ${i}`)),
  };
}

const MANIFEST_MEDIA_TYPES = new Set<unknown>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
const CONFIG_MEDIA_TYPES = new Set<string>([MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig]);

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
