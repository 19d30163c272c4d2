import { createCipheriv, hkdfSync, type CipherChaCha20Poly1305, type CipherGCM } from 'node:crypto';
import { CONTENT_HASH_BYTES } from '../model/index.js';
import type { ContentKey } from './content-key.js';
import { WasmPoly1305Tag, wasmPoly1305Available } from './wasm-poly1305.js';

/** The nonce of both MACs: fixed, as nothing is encrypted and equal bodies must give equal tags. */
const NONCE = new Uint8Array(12);

/**
 * Bodies up to this size are hashed by Poly1305 (by WebAssembly: wasm-poly1305.ts), larger ones
 * by GMAC (OpenSSL): a cipher object costs 3.5-6.5 µs a file, and OpenSSL's GMAC hashes five to
 * eight times faster per byte than the WebAssembly Poly1305. Warm, the two cost the same near
 * 4-5 KiB (bench/content-hash.ts); a run's first files find OpenSSL's wrappers cold, and the
 * Debian bench archive took the same time with 8 KiB as with 4 KiB. The size also chooses the
 * MAC, so it is part of what a tag means: a change needs LAYER_READER_VERSION bumped.
 */
export const SMALL_BODY_BYTES = 8 * 1024;

/**
 * The identity hash of a file body, a 16-byte tag under a secret key: for a body of at most
 * SMALL_BODY_BYTES the Poly1305 tag of ChaCha20-Poly1305 (RFC 8439) with the body as additional
 * data and nothing encrypted, for a larger one the GMAC tag of AES-256-GCM (NIST SP 800-38D) the
 * same way, under an AES key derived from the content key. Both are almost-universal hashes:
 * two different bodies of at most L bytes share a tag with probability at most
 * 8 * ceil(L / 16) / 2^106 (Poly1305) or (L / 16 + 1) / 2^128 (GMAC) whatever they are, so a
 * crafted image cannot make a changed file look unchanged without the key, which never leaves
 * the process and the private cache; bodies of different sizes differ in the tag's length
 * block either way. The body's size picks the MAC, so equal bodies always get equal tags.
 * GMAC runs at 2.6 times Poly1305's speed on a CPU whose AVX2 is slow (AMD's first EPYC) and
 * about as fast elsewhere; both are several times faster than sha256 (the diff_id still needs
 * sha256). Bodies are fed in any chunking: the tag is that of their concatenation.
 */
export interface ContentHasher {
  update(chunk: Uint8Array): void;
  /** The 16-byte tag; the hasher is finished afterwards. */
  digest(): Uint8Array;
}

/**
 * A hasher for a body of `bodyBytes` bytes (its tar header's size): the same tag whichever
 * computes it, so results hashed either way compare.
 */
export function contentHasher(key: ContentKey, bodyBytes: number): ContentHasher {
  if (bodyBytes > SMALL_BODY_BYTES) return new GmacTag(key);
  return wasmPoly1305Available() ? new WasmPoly1305Tag(key) : new Poly1305CipherTag(key);
}

/** A small body's content hash as OpenSSL's chacha20-poly1305 cipher computes it. */
export class Poly1305CipherTag implements ContentHasher {
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

/** A large body's content hash: the tag of OpenSSL's aes-256-gcm cipher, the body as additional data. */
export class GmacTag implements ContentHasher {
  readonly #mac: CipherGCM;

  constructor(key: ContentKey) {
    this.#mac = createCipheriv('aes-256-gcm', gmacKey(key), NONCE, { authTagLength: CONTENT_HASH_BYTES });
  }

  update(chunk: Uint8Array): void {
    this.#mac.setAAD(chunk);
  }

  digest(): Buffer {
    this.#mac.final();
    return this.#mac.getAuthTag();
  }
}

/** What HKDF-SHA256 of the content key is asked for, to give GMAC's AES key. */
export const GMAC_KEY_INFO = 'imgscope content hash: AES-256-GCM key';

const gmacKeys = new WeakMap<ContentKey, Uint8Array>();

/**
 * GMAC's AES-256 key: derived from the content key (HKDF-SHA256, no salt), so that the two MACs
 * never share a key; once per key object and thread.
 */
function gmacKey(key: ContentKey): Uint8Array {
  let derived = gmacKeys.get(key);
  if (derived === undefined) {
    derived = new Uint8Array(hkdfSync('sha256', key.bytes, new Uint8Array(0), GMAC_KEY_INFO, 32));
    gmacKeys.set(key, derived);
  }
  return derived;
}
