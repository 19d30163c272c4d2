import { createHash } from 'node:crypto';
import type { KnownFiles } from '../cache/index.js';
import { DigestMismatchError, InputFormatError } from '../errors.js';
import { parseDigest } from '../layers/index.js';
import { type ArchiveFiles, readMember } from './archive-files.js';

/** Verifies bytes against a digest ("sha256:..."); a digest we cannot check is refused. */
export function verifyBytes(what: string, bytes: Buffer, digest: string): void {
  const parsed = parseDigest(digest);
  if (parsed === null) throw new InputFormatError(`${what}: unsupported or malformed digest "${digest}"`);
  const actual = `${parsed.algorithm}:${createHash(parsed.algorithm).update(bytes).digest('hex')}`;
  if (actual !== digest) throw new DigestMismatchError(what, digest, actual);
}

/** Parses JSON, turning a syntax error into one clear line about which document is broken. */
export function parseJson(what: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (err) {
    throw new InputFormatError(`${what} is not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/**
 * A member's JSON, its bytes checked against `digest` where one is given: hashed, unless
 * `known` has the member's region hashed to it and its file unchanged since (known-files.ts).
 */
export async function readJsonMember(
  files: ArchiveFiles,
  name: string,
  maxBytes: number,
  digest: string | null = null,
  known: KnownFiles | null = null,
): Promise<unknown> {
  const what = `${files.location}: ${name}`;
  const { bytes, region } = await readMember(files, name, maxBytes);
  if (digest !== null && known?.digestAfterReading(region) !== digest) {
    verifyBytes(what, bytes, digest);
    known?.rememberDigest(region, digest);
  }
  return parseJson(what, bytes);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
