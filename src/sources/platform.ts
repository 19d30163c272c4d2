import { PlatformNotFoundError, UsageError } from '../errors.js';
import type { Descriptor, ImageIndex, Platform } from '../model/index.js';

/** linux/amd64 on x86-64, linux/arm64/v8 on arm64, linux/ARCH elsewhere. */
export function hostPlatform(arch: string = process.arch): Platform {
  switch (arch) {
    case 'x64':
      return { os: 'linux', architecture: 'amd64' };
    case 'arm64':
      return { os: 'linux', architecture: 'arm64', variant: 'v8' };
    case 'arm':
      return { os: 'linux', architecture: 'arm', variant: 'v7' };
    case 'ia32':
      return { os: 'linux', architecture: '386' };
    default:
      return { os: 'linux', architecture: arch };
  }
}

/** Parses `os/arch[/variant]` (--platform). */
export function parsePlatform(value: string): Platform {
  const parts = value.trim().split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new UsageError(`invalid platform "${value}"`, {
      hint: 'write it as os/arch[/variant], e.g. linux/arm64/v8',
    });
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter((p) => p !== undefined && p !== '')
    .join('/');
}

/** arm64 images without a variant are v8. */
function variantOf(platform: Platform): string | undefined {
  if (platform.variant !== undefined && platform.variant !== '') return platform.variant;
  return platform.architecture === 'arm64' ? 'v8' : undefined;
}

function isAttestation(descriptor: Descriptor): boolean {
  return (
    descriptor.platform?.os === 'unknown' ||
    descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest'
  );
}

/**
 * The index entry for a platform (the host's when none is given); attestation entries
 * (unknown/unknown) are never images. A wanted variant must match; without one, any variant does.
 */
export function selectPlatformManifest(index: ImageIndex, wanted?: Platform): Descriptor {
  const target = wanted ?? hostPlatform();
  const images = index.manifests.filter((d) => !isAttestation(d));
  const matching = images.filter((d) => {
    const p = d.platform;
    if (p === undefined) return false;
    if (p.os !== target.os || p.architecture !== target.architecture) return false;
    const want = variantOf(target);
    if (wanted?.variant === undefined && wanted !== undefined) return true;
    return want === undefined || variantOf(p) === undefined || variantOf(p) === want;
  });
  const chosen =
    matching[0] ?? (images.length === 1 && images[0]?.platform === undefined ? images[0] : undefined);
  if (chosen === undefined) {
    const available = images.map((d) => (d.platform ? formatPlatform(d.platform) : 'unspecified')).join(', ');
    throw new PlatformNotFoundError(
      `the image has no ${formatPlatform(target)} variant; it has: ${available || 'no images'}`,
      { hint: 'choose one with --platform os/arch[/variant]' },
    );
  }
  return chosen;
}
