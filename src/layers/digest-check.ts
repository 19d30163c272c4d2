import { createHash, type Hash } from 'node:crypto';
import type { Transform } from 'node:stream';
import { DigestMismatchError, InputFormatError } from '../errors.js';
import { watchingStream } from './stream-adapters.js';

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
 * Counts bytes and, where a digest is expected, hashes them; `verify` at the end throws when the
 * digest (or the expected size) does not match: corrupt bytes are an error, never a silent
 * result. Used directly by a reader that owns its chunks, and by `digestCheck` in a stream.
 */
export class DigestVerifier {
  private readonly hash: Hash | null;
  private bytes = 0;

  constructor(
    private readonly what: string,
    private readonly expected: string | null,
    private readonly expectedSize: number | null = null,
  ) {
    if (expected === null) {
      this.hash = null;
      return;
    }
    const parsed = parseDigest(expected);
    if (parsed === null) throw new InputFormatError(`${what}: unsupported or malformed digest "${expected}"`);
    this.hash = createHash(parsed.algorithm);
  }

  /** Whether `verify` compares a digest (not only a size). */
  get checksDigest(): boolean {
    return this.hash !== null;
  }

  get bytesSeen(): number {
    return this.bytes;
  }

  /** Takes the next bytes; throws as soon as there are more than the expected size. */
  update(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== null && this.bytes > this.expectedSize) {
      throw new InputFormatError(
        `${this.what}: more bytes than the ${this.expectedSize} its descriptor declares`,
      );
    }
    this.hash?.update(chunk);
  }

  /** Throws unless the bytes taken are the expected size and digest. */
  verify(): void {
    if (this.expectedSize !== null && this.bytes !== this.expectedSize) {
      throw new InputFormatError(
        `${this.what}: ${this.bytes} bytes where its descriptor declares ${this.expectedSize}`,
      );
    }
    if (this.hash === null || this.expected === null) return;
    const algorithm = this.expected.slice(0, this.expected.indexOf(':'));
    const actual = `${algorithm}:${this.hash.digest('hex')}`;
    if (actual !== this.expected) throw new DigestMismatchError(this.what, this.expected, actual);
  }
}

/** A stream that passes bytes on through `verifier`, failing where it throws (its digest, at the end). */
export function digestCheck(verifier: DigestVerifier): Transform {
  return watchingStream({ take: (chunk) => verifier.update(chunk), end: () => verifier.verify() });
}
