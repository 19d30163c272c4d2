import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, InputFormatError } from '../errors.js';

/** Splits "sha256:hex" into algorithm and hex; null for a digest we cannot check. */
export function parseDigest(digest: string): { algorithm: 'sha256' | 'sha512'; hex: string } | null {
  const match = /^(sha256|sha512):([a-f0-9]+)$/.exec(digest);
  if (match === null) return null;
  const algorithm = match[1] as 'sha256' | 'sha512';
  const hex = match[2] ?? '';
  if (hex.length !== (algorithm === 'sha256' ? 64 : 128)) return null;
  return { algorithm, hex };
}

/**
 * Passes bytes through, counting them and, where a digest is expected, hashing them; fails the
 * stream at its end when the digest (or the expected size) does not match: corrupt bytes are an
 * error, never a silent result.
 */
export class DigestCheck extends Transform {
  private readonly hash: Hash | null;
  private bytes = 0;

  constructor(
    private readonly what: string,
    private readonly expected: string | null,
    private readonly expectedSize: number | null = null,
  ) {
    super();
    if (expected === null) {
      this.hash = null;
      return;
    }
    const parsed = parseDigest(expected);
    if (parsed === null) throw new InputFormatError(`${what}: unsupported or malformed digest "${expected}"`);
    this.hash = createHash(parsed.algorithm);
  }

  get bytesSeen(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== null && this.bytes > this.expectedSize) {
      callback(
        new InputFormatError(
          `${this.what}: more bytes than the ${this.expectedSize} its descriptor declares`,
        ),
      );
      return;
    }
    this.hash?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== null && this.bytes !== this.expectedSize) {
      callback(
        new InputFormatError(
          `${this.what}: ${this.bytes} bytes where its descriptor declares ${this.expectedSize}`,
        ),
      );
      return;
    }
    if (this.hash === null || this.expected === null) {
      callback();
      return;
    }
    const algorithm = this.expected.slice(0, this.expected.indexOf(':'));
    const actual = `${algorithm}:${this.hash.digest('hex')}`;
    callback(actual === this.expected ? null : new DigestMismatchError(this.what, this.expected, actual));
  }
}
