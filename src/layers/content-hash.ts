import { createCipheriv, type CipherChaCha20Poly1305 } from 'node:crypto';
import { CONTENT_HASH_BYTES } from '../model/index.js';
import type { ContentKey } from './content-key.js';
import { WasmPoly1305Tag, wasmPoly1305Available } from './wasm-poly1305.js';

/** ChaCha20 derives the Poly1305 key from the content key and this nonce: fixed, as nothing is encrypted. */
const NONCE = new Uint8Array(12);

/**
 * Bodies up to this size are hashed by WebAssembly (wasm-poly1305.ts), larger ones by OpenSSL: a
 * cipher object costs 3.5-5 µs a file, and OpenSSL's vector code hashes about five times faster
 * per byte. Warm, the two cost the same near 5 KiB (bench/content-hash.ts); a run's first
 * files find OpenSSL's wrappers cold, and on the Debian bench archive 8 KiB and 16 KiB gave the
 * same time, 4 KiB slightly more.
 */
export const SMALL_BODY_BYTES = 8 * 1024;

/**
 * The identity hash of a file body: the Poly1305 tag of the body under a secret key, computed
 * as the tag of ChaCha20-Poly1305 with the body as additional data and nothing encrypted
 * (RFC 8439: the tag covers the body, padding and the body's length). Poly1305 under a secret
 * key is an almost-universal hash: two different bodies of at most L bytes share a tag with
 * probability at most 8 * ceil(L / 16) / 2^106 whatever they are, so a crafted image cannot make
 * a changed file look unchanged without the key, which never leaves the process and the
 * private cache. About eight times faster than sha256 here (the diff_id still needs sha256).
 * Bodies are fed in any chunking: the tag is that of their concatenation.
 */
export interface ContentHasher {
  update(chunk: Uint8Array): void;
  /** The 16-byte tag; the hasher is finished afterwards. */
  digest(): Buffer;
}

/**
 * A hasher for a body of `bodyBytes` bytes (its tar header's size): the same tag whichever
 * computes it, so results hashed either way compare.
 */
export function contentHasher(key: ContentKey, bodyBytes: number): ContentHasher {
  return bodyBytes <= SMALL_BODY_BYTES && wasmPoly1305Available()
    ? new WasmPoly1305Tag(key)
    : new CipherTag(key);
}

/** The content hash as OpenSSL's chacha20-poly1305 cipher computes it. */
export class CipherTag implements ContentHasher {
  readonly #mac: CipherChaCha20Poly1305;

  constructor(key: ContentKey) {
    this.#mac = createCipheriv('chacha20-poly1305', key.bytes, NONCE, { authTagLength: CONTENT_HASH_BYTES });
  }

  update(chunk: Uint8Array): void {
    // Nothing is encrypted: the plaintext is 0 bytes long.
    this.#mac.setAAD(chunk, { plaintextLength: 0 });
  }

  digest(): Buffer {
    this.#mac.final();
    return this.#mac.getAuthTag();
  }
}
