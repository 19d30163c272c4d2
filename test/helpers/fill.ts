// Deterministic file content for generated images: the same seed always gives the same bytes,
// produced in bounded chunks so a 100 MB file never sits in memory.
import { createCipheriv, createHash } from 'node:crypto';

/** `random`: incompressible bytes. `text`: word soup that gzip shrinks about 3x (realistic text). */
export type FillKind = 'random' | 'text';

export const FILL_CHUNK = 64 * 1024;

const ZEROS = Buffer.alloc(FILL_CHUNK);

function seedHash(seed: string): Buffer {
  return createHash('sha256').update(`imgscope-fill:${seed}`).digest();
}

/** AES-128-CTR keystream: deterministic, fast (AES-NI) and statistically random. */
function* randomChunks(seed: string, size: number): Generator<Buffer> {
  const cipher = createCipheriv('aes-128-ctr', seedHash(seed).subarray(0, 16), Buffer.alloc(16));
  for (let left = size; left > 0; left -= FILL_CHUNK) {
    yield cipher.update(left >= FILL_CHUNK ? ZEROS : ZEROS.subarray(0, left));
  }
}

const WORDS = (
  'the of and to in is for on with as by at from that this be are was it an or not have has which ' +
  'config server request response error value index buffer stream layer image file path size cache ' +
  'install package version build user group root module import export return function const class ' +
  'debian python node linux kernel network socket thread memory digest manifest registry token ' +
  'alpha beta gamma delta epsilon zeta theta lambda sigma omega north south east west red green blue'
).split(' ');

/** mulberry32: tiny seeded PRNG, good enough to make text that is varied but compressible. */
function prng(seed: Buffer): () => number {
  let a = seed.readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Word soup with the redundancy of real text (gzip about 3x), made once per process. */
function makeCorpus(size: number): Buffer {
  const next = prng(seedHash('corpus'));
  const parts: string[] = [];
  let len = 0;
  while (len < size) {
    const words = 4 + (next() % 9);
    let line = '';
    for (let i = 0; i < words; i++) {
      const r = next();
      line += (i ? ' ' : '') + (WORDS[r % WORDS.length] ?? 'x');
      if (r % 11 === 0) line += ` ${r % 100_000}`;
    }
    parts.push(`${line}\n`);
    len += line.length + 1;
  }
  return Buffer.from(parts.join('').slice(0, size), 'latin1');
}

let corpus: Buffer | undefined;
const CORPUS_SIZE = 1024 * 1024;

/**
 * Text assembled from slices of the corpus at seeded offsets: as compressible as the corpus
 * (slices rarely repeat within gzip's 32 KB window) and as fast as a memcpy.
 */
function* textChunks(seed: string, size: number): Generator<Buffer> {
  corpus ??= makeCorpus(CORPUS_SIZE);
  const next = prng(seedHash(seed));
  for (let left = size; left > 0; left -= FILL_CHUNK) {
    const chunk = Buffer.allocUnsafe(Math.min(left, FILL_CHUNK));
    for (let at = 0; at < chunk.length;) {
      const len = Math.min(chunk.length - at, 256 + (next() % 3840));
      const from = next() % (CORPUS_SIZE - len);
      at += corpus.copy(chunk, at, from, from + len);
    }
    yield chunk;
  }
}

/** Chunks (each at most FILL_CHUNK bytes) totalling exactly `size` bytes. */
export function fillChunks(seed: string, size: number, kind: FillKind = 'random'): Generator<Buffer> {
  return kind === 'text' ? textChunks(seed, size) : randomChunks(seed, size);
}

/** The whole content at once: for small files only. */
export function fillBytes(seed: string, size: number, kind: FillKind = 'random'): Buffer {
  return Buffer.concat([...fillChunks(seed, size, kind)], size);
}
