import { describe, expect, it } from 'vitest';
import { digestFromName } from '../../../src/sources/docker-archive.js';

const HEX = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

describe('digestFromName', () => {
  it('reads the digest of each naming docker save and kaniko use', () => {
    expect(digestFromName(`blobs/sha256/${HEX}`)).toBe(`sha256:${HEX}`);
    expect(digestFromName(`${HEX}.json`)).toBe(`sha256:${HEX}`);
    expect(digestFromName(`sha256:${HEX}`)).toBe(`sha256:${HEX}`);
  });

  it('names no digest for anything else', () => {
    const names = [
      `blobs/sha256/${HEX}.json`,
      `blobs/sha512/${HEX}`,
      `x/${HEX}.json`,
      `${HEX}/layer.tar`,
      `${HEX.toUpperCase()}.json`,
      `sha256:${HEX.slice(1)}`,
      `sha256:${HEX}0`,
      `blobs/sha256/${HEX.slice(0, 63)}g`,
      'manifest.json',
    ];
    expect(names.map(digestFromName)).toEqual(names.map(() => null));
  });
});
