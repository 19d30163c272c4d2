import { arch } from 'node:process';
import { PlatformNotFoundError, UsageError } from '../errors.js';
import type { Descriptor, Platform } from '../model/index.js';
import { MEDIA_TYPES } from '../model/index.js';

/** The platform images are chosen for by default: linux on this machine's CPU. */
export function hostPlatform(): Platform {
  switch (arch) {
    case 'arm64':
      return { os: 'linux', architecture: 'arm64', variant: 'v8' };
    case 'arm':
      return { os: 'linux', architecture: 'arm', variant: 'v7' };
    case 'x64':
      return { os: 'linux', architecture: 'amd64' };
    case 'ia32':
      return { os: 'linux', architecture: '386' };
    default:
      return { os: 'linux', architecture: arch };
  }
}

/** Parses "os/arch[/variant]" as docker and skopeo accept it. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new UsageError(
      `invalid platform "${text}": expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`,
    );
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** arm64 images often omit "v8", and a wanted platform without a variant takes any. */
function variantMatches(wanted: Platform, actual: Platform): boolean {
  if (wanted.variant === undefined) return true;
  const normal = (p: Platform): string | undefined =>
    p.architecture === 'arm64' && p.variant === undefined ? 'v8' : p.variant;
  return normal(wanted) === normal(actual);
}

export function platformMatches(wanted: Platform, actual: Platform): boolean {
  return (
    wanted.os === actual.os && wanted.architecture === actual.architecture && variantMatches(wanted, actual)
  );
}

const IMAGE_MEDIA_TYPES = new Set<string>([
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifestList,
]);

/** Attestation manifests (buildx provenance/SBOM) sit in indexes as `unknown/unknown`: never images. */
function isAttestation(descriptor: Descriptor): boolean {
  return (
    descriptor.platform?.os === 'unknown' ||
    descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
  );
}

/**
 * Chooses the entry of an index to analyze. With an explicit platform, the entry must match it;
 * without one, a lone image is taken whatever its platform, otherwise the host's platform. A
 * lone nested index (buildx's OCI output) is returned for the caller to choose from.
 */
export function selectPlatformEntry(
  entries: Descriptor[],
  wanted: Platform | undefined,
  where: string,
): Descriptor {
  const images = entries.filter(
    (entry) =>
      !isAttestation(entry) && (entry.mediaType === undefined || IMAGE_MEDIA_TYPES.has(entry.mediaType)),
  );
  if (images.length === 0) throw new PlatformNotFoundError(`${where}: the index lists no image`);
  const only = images[0];
  // A lone image needs no choosing; a lone nested index is chosen from one level down.
  const nestedIndex =
    only?.mediaType === MEDIA_TYPES.ociIndex || only?.mediaType === MEDIA_TYPES.dockerManifestList;
  if (images.length === 1 && only !== undefined && (wanted === undefined || nestedIndex)) return only;
  // A lone image is checked against what it is for: its entry's platform, or (an entry that names
  // none, as many single-image layouts write) its config's, which the caller reads next.
  if (images.length === 1 && only !== undefined && wanted !== undefined) {
    if (only.platform !== undefined) checkSinglePlatform(where, wanted, only.platform);
    return only;
  }
  const target = wanted ?? hostPlatform();
  const match = images.find(
    (entry) => entry.platform !== undefined && platformMatches(target, entry.platform),
  );
  if (match !== undefined) return match;
  const available = images.map((entry) => (entry.platform ? formatPlatform(entry.platform) : 'unspecified'));
  throw new PlatformNotFoundError(
    `${where}: no image for platform ${formatPlatform(target)}; available: ${available.join(', ')}`,
    { hint: 'choose one with --platform' },
  );
}

/**
 * A single-image source is for one platform: a --platform naming another is an error that names
 * the image's, never ignored. An image that declares no platform cannot be checked.
 */
export function checkSinglePlatform(
  where: string,
  wanted: Platform | undefined,
  actual: Platform | null,
): void {
  if (wanted === undefined || actual === null || platformMatches(wanted, actual)) return;
  throw new PlatformNotFoundError(
    `${where} is a single-platform image for ${formatPlatform(actual)}, not ${formatPlatform(wanted)}`,
    { hint: 'drop --platform, or name the image built for that platform' },
  );
}

/**
 * The platforms of an index's images (attestations left out), for reports to name beside the
 * one analyzed; null for an index of one image, which is not multi-platform.
 */
export function indexPlatforms(entries: Descriptor[]): Platform[] | null {
  const platforms = entries
    .filter((entry) => !isAttestation(entry) && entry.platform !== undefined)
    .map((entry) => entry.platform as Platform);
  return platforms.length > 1 ? platforms : null;
}
