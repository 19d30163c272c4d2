import { createHash, randomBytes } from 'node:crypto';

/** The length of a content key in bytes (ChaCha20's key, see content-hash.ts). */
export const CONTENT_KEY_BYTES = 32;

/**
 * The secret key of the content hashes (content-hash.ts). Plain data, so that it crosses to a
 * layer worker thread as it is. Two hashes can be compared only when made under the same key:
 * one process uses one key for everything it compares (the layer-result cache's, or a random
 * one with --no-cache), and a stored layer result carries the `id` of the key it was hashed
 * under, so a result made under another key is never compared.
 */
export interface ContentKey {
  readonly bytes: Uint8Array;
  /** Names the key without giving it away (a hash of it): what a stored layer result carries. */
  readonly id: string;
}

/** A key from its bytes; throws on a wrong length (a caller checks a stored key first). */
export function contentKeyFrom(bytes: Uint8Array): ContentKey {
  if (bytes.length !== CONTENT_KEY_BYTES)
    throw new Error(`a content key is ${CONTENT_KEY_BYTES} bytes, not ${bytes.length}`);
  const id = createHash('sha256')
    .update('imgscope content key id\0')
    .update(bytes)
    .digest('hex')
    .slice(0, 32);
  return { bytes: Uint8Array.from(bytes), id };
}

/** A fresh random key. */
export function randomContentKey(): ContentKey {
  return contentKeyFrom(randomBytes(CONTENT_KEY_BYTES));
}

let processKey: ContentKey | null = null;

/** This process's own random key, for reads whose results are not stored (--no-cache). */
export function processContentKey(): ContentKey {
  processKey ??= randomContentKey();
  return processKey;
}
