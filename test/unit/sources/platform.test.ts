import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES, type Descriptor } from '../../../src/model/index.js';
import { hostPlatform, parsePlatform, selectPlatformEntry } from '../../../src/sources/index.js';

const entry = (architecture: string, variant?: string, os = 'linux'): Descriptor => ({
  mediaType: MEDIA_TYPES.ociManifest,
  digest: `sha256:${architecture}${variant ?? ''}`,
  size: 1,
  platform: variant === undefined ? { os, architecture } : { os, architecture, variant },
});

const attestation: Descriptor = {
  ...entry('unknown', undefined, 'unknown'),
  annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
};

describe('platform selection', () => {
  it('parses os/arch[/variant] and refuses anything else', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(() => parsePlatform('linux')).toThrow(/invalid platform "linux"/);
    expect(() => parsePlatform('linux/arm/v7/extra')).toThrow(/invalid platform/);
    expect(() => parsePlatform('linux/arm/')).toThrow(/invalid platform/);
  });

  it('takes a lone image whatever its platform when none is asked for', () => {
    expect(selectPlatformEntry([entry('s390x'), attestation], undefined, 'x').digest).toBe('sha256:s390x');
  });

  it('picks the host platform from several, never an attestation', () => {
    const host = hostPlatform();
    const entries = [attestation, entry('s390x'), entry(host.architecture, host.variant)];
    expect(selectPlatformEntry(entries, undefined, 'x').platform?.architecture).toBe(host.architecture);
  });

  it('treats arm64 without a variant as v8', () => {
    const entries = [entry('amd64'), entry('arm64')];
    expect(selectPlatformEntry(entries, parsePlatform('linux/arm64/v8'), 'x').digest).toBe('sha256:arm64');
    expect(() =>
      selectPlatformEntry([entry('arm', 'v6'), entry('amd64')], parsePlatform('linux/arm/v7'), 'idx'),
    ).toThrow('idx: no image for platform linux/arm/v7; available: linux/arm/v6, linux/amd64');
  });

  it('says so when an index lists only attestations', () => {
    expect(() => selectPlatformEntry([attestation], undefined, 'idx')).toThrow(
      'idx: the index lists no image',
    );
  });
});
