/**
 * Where the content hash's two engines (src/layers/content-hash.ts) cost the same: for bodies of
 * each size, the time per body of OpenSSL's chacha20-poly1305 cipher object (CipherTag) and of the
 * WebAssembly Poly1305 (WasmPoly1305Tag), both cold (the first BODIES bodies of a fresh process,
 * as a layer's first files are) and warm (the next ones), and which is faster. SMALL_BODY_BYTES
 * should lie near where the warm columns cross.
 *
 * Run: node --import tsx bench/content-hash.ts [BODIES=2000]
 */
import { randomBytes } from 'node:crypto';
import { CipherTag, SMALL_BODY_BYTES, type ContentHasher } from '../src/layers/content-hash.js';
import { randomContentKey, type ContentKey } from '../src/layers/index.js';
import { WasmPoly1305Tag } from '../src/layers/wasm-poly1305.js';

const bodies = Number(process.argv[2] ?? 2000);
const key = randomContentKey();
const engines: [string, (key: ContentKey) => ContentHasher][] = [
  ['OpenSSL', (k) => new CipherTag(k)],
  ['WebAssembly', (k) => new WasmPoly1305Tag(k)],
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

const sizes = [64, 512, 2048, 4096, 8192, 16_384, 65_536];
// Cold: each engine's first bodies (in its own order, the smallest size first).
const cold = new Map(engines.map(([name, make]) => [name, perBody(make, randomBytes(512), bodies)]));
console.log(`SMALL_BODY_BYTES = ${SMALL_BODY_BYTES}; ${bodies} bodies a row, microseconds per body`);
console.log(
  `cold, 512 bytes: ${engines.map(([name]) => `${name} ${cold.get(name)!.toFixed(2)}`).join(', ')}`,
);
for (const size of sizes) {
  const body = randomBytes(size);
  const [openssl, wasm] = engines.map(([, make]) => perBody(make, body, bodies)) as [number, number];
  const faster = wasm < openssl ? 'WebAssembly' : 'OpenSSL';
  console.log(
    `${String(size).padStart(6)} bytes: OpenSSL ${openssl.toFixed(2).padStart(7)}  WebAssembly ${wasm.toFixed(2).padStart(7)}  ${faster} ${(Math.max(openssl, wasm) / Math.min(openssl, wasm)).toFixed(2)}x faster`,
  );
}
