/**
 * Where the content hash's two MACs (src/layers/content-hash.ts) cost the same: for bodies of
 * each size, the time per body of the WebAssembly Poly1305 (WasmPoly1305Tag, small bodies), of
 * OpenSSL's aes-256-gcm cipher object (GmacTag, large bodies) and, for reference, of OpenSSL's
 * chacha20-poly1305 (Poly1305CipherTag, small bodies where WebAssembly is off), both cold (the
 * first BODIES bodies of a fresh process, as a layer's first files are) and warm (the next ones),
 * and which of the first two is faster. SMALL_BODY_BYTES should lie near where they cross.
 *
 * Run: node --import tsx bench/content-hash.ts [BODIES=2000]
 */
import { randomBytes } from 'node:crypto';
import {
  GmacTag,
  Poly1305CipherTag,
  SMALL_BODY_BYTES,
  type ContentHasher,
} from '../src/layers/content-hash.js';
import { randomContentKey, type ContentKey } from '../src/layers/index.js';
import { WasmPoly1305Tag } from '../src/layers/wasm-poly1305.js';

const bodies = Number(process.argv[2] ?? 2000);
const key = randomContentKey();
const engines: [string, (key: ContentKey) => ContentHasher][] = [
  ['WebAssembly Poly1305', (k) => new WasmPoly1305Tag(k)],
  ['OpenSSL GMAC', (k) => new GmacTag(k)],
  ['OpenSSL Poly1305', (k) => new Poly1305CipherTag(k)],
];

/** Microseconds per body over `count` bodies of `body`'s bytes. */
function perBody(make: (key: ContentKey) => ContentHasher, body: Uint8Array, count: number): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const hasher = make(key);
    hasher.update(body);
    hasher.digest();
  }
  return ((performance.now() - start) * 1000) / count;
}

const sizes = [64, 512, 2048, 4096, 8192, 16_384, 65_536, 1_048_576];
// Cold: each engine's first bodies (in its own order, the smallest size first).
const cold = engines.map(([name, make]) => `${name} ${perBody(make, randomBytes(512), bodies).toFixed(2)}`);
console.log(`SMALL_BODY_BYTES = ${SMALL_BODY_BYTES}; ${bodies} bodies a row, microseconds per body`);
console.log(`cold, 512 bytes: ${cold.join(', ')}`);
for (const size of sizes) {
  const body = randomBytes(size);
  const count = Math.max(20, Math.min(bodies, Math.floor((256 << 20) / size)));
  const times = engines.map(([, make]) => perBody(make, body, count));
  const [wasm, gmac] = times as [number, number, number];
  const faster = wasm < gmac ? 'WebAssembly Poly1305' : 'OpenSSL GMAC';
  console.log(
    `${String(size).padStart(8)} bytes: ${engines.map(([name], i) => `${name} ${times[i]!.toFixed(2).padStart(8)}`).join('  ')}  ${faster} ${(Math.max(wasm, gmac) / Math.min(wasm, gmac)).toFixed(2)}x faster`,
  );
}
