import { createCipheriv, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contentHasher,
  GMAC_KEY_INFO,
  GmacTag,
  Poly1305CipherTag,
  SMALL_BODY_BYTES,
  type ContentHasher,
} from '../../../src/layers/content-hash.js';
import { WasmPoly1305Tag } from '../../../src/layers/wasm-poly1305.js';
import { contentKeyFrom, randomContentKey, type ContentKey } from '../../../src/layers/index.js';
import { fillBytes } from '../../helpers/fill.js';

/** The Poly1305 hash of `body` fed in pieces of the given lengths (the rest in one), as OpenSSL computes it. */
function hashOf(key: ContentKey, body: Uint8Array, pieces: number[] = []): string {
  return feed(new Poly1305CipherTag(key), body, pieces);
}

/** The same with GMAC, the hash of a large body. */
function gmacOf(key: ContentKey, body: Uint8Array, pieces: number[] = []): string {
  return feed(new GmacTag(key), body, pieces);
}

function feed(hasher: ContentHasher, body: Uint8Array, pieces: number[] = []): string {
  let at = 0;
  for (const length of pieces) {
    hasher.update(body.subarray(at, at + length));
    at += length;
  }
  if (at < body.length) hasher.update(body.subarray(at));
  return Buffer.from(hasher.digest()).toString('hex');
}

/**
 * RFC 8439's AEAD tag with `aad` as the additional data and nothing encrypted, written out with
 * BigInt: the one-time key is ChaCha20's first block under the zero nonce (section 2.6), the
 * message the AAD padded to 16 bytes and both lengths as 64-bit little-endian numbers (2.8).
 */
function poly1305Reference(key: ContentKey, aad: Uint8Array): string {
  const block = createCipheriv('chacha20', key.bytes, new Uint8Array(16)).update(new Uint8Array(32));
  const le = (bytes: Uint8Array): bigint =>
    BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);
  const r = le(block.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = le(block.subarray(16, 32));
  const lengths = Buffer.alloc(16);
  lengths.writeBigUInt64LE(BigInt(aad.length), 0);
  const message = Buffer.concat([aad, Buffer.alloc((16 - (aad.length % 16)) % 16), lengths]);
  const p = (1n << 130n) - 5n;
  let acc = 0n;
  for (let at = 0; at < message.length; at += 16)
    acc = ((acc + le(message.subarray(at, at + 16)) + (1n << 128n)) * r) % p;
  const tag = (acc + s) & ((1n << 128n) - 1n);
  return Buffer.from(tag.toString(16).padStart(32, '0'), 'hex').reverse().toString('hex');
}

/**
 * NIST SP 800-38D's GCM tag with `aad` as the additional data and nothing encrypted, written out
 * with BigInt: the AES-256 key is HKDF-SHA256 of the content key (no salt, GMAC_KEY_INFO), H the
 * key's encryption of the zero block, the tag GHASH_H(aad, zero padding, both lengths in bits as
 * 64-bit big-endian numbers) XOR the encryption of the zero nonce followed by the counter 1.
 */
function gmacReference(key: ContentKey, aad: Uint8Array): string {
  const aesKey = Buffer.from(hkdfSync('sha256', key.bytes, new Uint8Array(0), GMAC_KEY_INFO, 32));
  const encrypt = (block: Uint8Array): bigint => {
    const cipher = createCipheriv('aes-256-ecb', aesKey, null).setAutoPadding(false);
    return BigInt(`0x${cipher.update(block).toString('hex')}`);
  };
  const be = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  const h = encrypt(new Uint8Array(16));
  // Multiplication in GF(2^128) with GCM's bit order (Algorithm 1 of SP 800-38D).
  const times = (x: bigint, y: bigint): bigint => {
    let z = 0n;
    let v = y;
    for (let bit = 127n; bit >= 0n; bit--) {
      if ((x >> bit) & 1n) z ^= v;
      v = v & 1n ? (v >> 1n) ^ (0xe1n << 120n) : v >> 1n;
    }
    return z;
  };
  const lengths = Buffer.alloc(16);
  lengths.writeBigUInt64BE(BigInt(aad.length) * 8n, 0);
  const message = Buffer.concat([aad, Buffer.alloc((16 - (aad.length % 16)) % 16), lengths]);
  let y = 0n;
  for (let at = 0; at < message.length; at += 16) y = times(y ^ be(message.subarray(at, at + 16)), h);
  const counter = Buffer.alloc(16);
  counter[15] = 1;
  return (y ^ encrypt(counter)).toString(16).padStart(32, '0');
}

const key = contentKeyFrom(Buffer.alloc(32, 7));
const body = fillBytes('content-hash', 100_003);

describe('content hash', () => {
  it('is the Poly1305 tag of RFC 8439 over the body, its padding and its length', () => {
    for (const length of [0, 1, 16, 17, 1000]) {
      const bytes = body.subarray(0, length);
      expect(hashOf(key, bytes)).toBe(poly1305Reference(key, bytes));
    }
  });

  it('is the GMAC tag of SP 800-38D over a large body, its padding and its length, in any chunking', () => {
    for (const length of [0, 1, 16, 17, 1000, SMALL_BODY_BYTES + 1]) {
      const bytes = body.subarray(0, length);
      expect(gmacOf(key, bytes)).toBe(gmacReference(key, bytes));
    }
    const whole = gmacOf(key, body);
    expect(gmacOf(key, body, [1, 15, 16, 17, 4096, 65_535])).toBe(whole);
    expect(gmacOf(key, body, [0, 0, 100_003])).toBe(whole);
    expect(gmacOf(contentKeyFrom(Buffer.alloc(32, 8)), body)).not.toBe(whole);
    const flipped = Buffer.from(body);
    flipped[50_000] = (flipped[50_000] ?? 0) ^ 0x80;
    expect(gmacOf(key, flipped)).not.toBe(whole);
    expect(gmacOf(key, Buffer.concat([body, Buffer.alloc(1)]))).not.toBe(whole);
  });

  it('is the same tag from WebAssembly for every length of a last block and carries of all ones', () => {
    const ones = Buffer.alloc(300, 0xff);
    for (let length = 0; length <= 70; length++)
      for (const bytes of [body.subarray(0, length), ones.subarray(0, length)])
        expect(feed(new WasmPoly1305Tag(key), bytes)).toBe(poly1305Reference(key, bytes));
    for (const length of [255, 256, 257, 4095, 8192, 65_536, 65_537, 100_003]) {
      const bytes = body.subarray(0, length);
      expect(feed(new WasmPoly1305Tag(key), bytes)).toBe(hashOf(key, bytes));
    }
    expect(feed(new WasmPoly1305Tag(key), ones)).toBe(poly1305Reference(key, ones));
  });

  it('keeps apart the WebAssembly hashes under way at once, under two keys', () => {
    const other = randomContentKey();
    const bodies = [body.subarray(0, 5000), body.subarray(7, 3000), body.subarray(100, 4100)];
    const keys = [key, other, key];
    const hashers = keys.map((k) => new WasmPoly1305Tag(k));
    // Pieces of 33 bytes taken in turn: each hash's partial block and sum must survive the others.
    for (let at = 0; at < 5000; at += 33)
      hashers.forEach((hasher, i) => hasher.update(bodies[i]!.subarray(at, at + 33)));
    const tags = hashers.map((hasher) => Buffer.from(hasher.digest()).toString('hex'));
    expect(tags).toEqual(bodies.map((bytes, i) => hashOf(keys[i]!, bytes)));
  });

  it("hashes a body up to SMALL_BODY_BYTES with WebAssembly's Poly1305, a larger one with OpenSSL's GMAC", () => {
    expect(contentHasher(key, SMALL_BODY_BYTES)).toBeInstanceOf(WasmPoly1305Tag);
    expect(contentHasher(key, SMALL_BODY_BYTES + 1)).toBeInstanceOf(GmacTag);
    const large = body.subarray(0, SMALL_BODY_BYTES + 1);
    expect(feed(contentHasher(key, large.length), large)).toBe(gmacReference(key, large));
  });

  it('gives the same 16-byte tag for the same bytes in any chunking', () => {
    const whole = hashOf(key, body);
    expect(whole).toHaveLength(32);
    expect(hashOf(key, body, [1, 15, 16, 17, 4096, 65_535])).toBe(whole);
    expect(
      hashOf(
        key,
        body,
        Array.from({ length: 1000 }, () => 100),
      ),
    ).toBe(whole);
    expect(hashOf(key, body, [0, 0, 100_003])).toBe(whole);
  });

  it('changes with any flipped byte, an added zero byte and a cut', () => {
    const whole = hashOf(key, body);
    for (const at of [0, 15, 16, 50_000, 100_002]) {
      const flipped = Buffer.from(body);
      flipped[at] = (flipped[at] ?? 0) ^ 0x01;
      expect(hashOf(key, flipped)).not.toBe(whole);
    }
    // Poly1305 pads the last block with zeros: the length in the tag tells these apart.
    expect(hashOf(key, Buffer.concat([body, Buffer.alloc(1)]))).not.toBe(whole);
    expect(hashOf(key, body.subarray(0, 100_000))).not.toBe(
      hashOf(key, Buffer.concat([body.subarray(0, 100_000), Buffer.alloc(3)])),
    );
  });

  it('differs under another key, and hashes no bytes to a tag of its own', () => {
    const other = randomContentKey();
    expect(hashOf(other, body)).not.toBe(hashOf(key, body));
    expect(hashOf(key, new Uint8Array(0))).toMatch(/^[0-9a-f]{32}$/);
    expect(hashOf(key, new Uint8Array(0))).not.toBe(hashOf(other, new Uint8Array(0)));
    expect(hashOf(key, new Uint8Array(0))).not.toBe(hashOf(key, new Uint8Array(1)));
  });

  it('names a key by an id that is not the key, the same for the same bytes', () => {
    const again = contentKeyFrom(Buffer.alloc(32, 7));
    expect(again.id).toBe(key.id);
    expect(key.id).toMatch(/^[0-9a-f]{32}$/);
    expect(key.id).not.toContain('07070707');
    expect(randomContentKey().id).not.toBe(key.id);
    expect(() => contentKeyFrom(Buffer.alloc(31))).toThrow('a content key is 32 bytes, not 31');
  });
});
