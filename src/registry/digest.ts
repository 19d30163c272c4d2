import { createHash, type Hash } from 'node:crypto';
import { InputFormatError } from '../errors.js';

const ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };
const DIGEST = /^(sha256|sha384|sha512):([a-f0-9]+)$/;

/** A hash of the algorithm a digest names ("sha256:..."). */
export function hasherFor(digest: string): Hash {
  const match = DIGEST.exec(digest);
  const algorithm = match?.[1] !== undefined ? ALGORITHMS[match[1]] : undefined;
  if (algorithm === undefined) {
    throw new InputFormatError(`unsupported or malformed digest "${digest}"`, {
      hint: 'imgscope verifies sha256, sha384 and sha512 digests',
    });
  }
  return createHash(algorithm);
}

/** "sha256:<hex>" of a buffer, in the algorithm of `like`. */
export function digestOf(bytes: Buffer, like = 'sha256:'): string {
  const algorithm = like.split(':')[0] ?? 'sha256';
  return `${algorithm}:${createHash(ALGORITHMS[algorithm] ?? 'sha256')
    .update(bytes)
    .digest('hex')}`;
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}
