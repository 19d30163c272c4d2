import type { Transform } from 'node:stream';
import { createRequire } from 'node:module';
import type { ZlibOptions } from 'node:zlib';

type ZstdFactory = (options: ZlibOptions) => Transform;

/**
 * Node >= 22.15 / 23.8 has zstd in zlib (libzstd: as fast as gunzip); Node 20 has not. Node 22's
 * (22.23.5 measured) fails on the second of concatenated frames and on skippable frames
 * ("Unknown frame descriptor"), which zstd:chunked layers carry, so it is used from Node 24 on.
 */
const NATIVE_ZSTD_FROM_MAJOR = 24;
const nodeMajor = Number(process.versions.node.split('.')[0]);

/** Looked up once, by the first zstd layer (null: not yet). */
let factory: ZstdFactory | undefined | null = null;

/**
 * Node's zstd decoder factory, or undefined. node:zlib is loaded on this first use only: loading
 * it loads Node's streams, which a run of stored layer results needs no more than zstd.
 */
function zstdFactory(): ZstdFactory | undefined {
  if (nodeMajor < NATIVE_ZSTD_FROM_MAJOR) return undefined;
  if (factory === null) {
    const zlib = createRequire(import.meta.url)('node:zlib') as { createZstdDecompress?: ZstdFactory };
    factory = zlib.createZstdDecompress;
  }
  return factory;
}

export const hasNativeZstd = (): boolean => zstdFactory() !== undefined;

/**
 * libzstd's streaming decoder, where the running Node has it: it follows concatenated and
 * skippable frames and verifies each frame's content checksum (never told to ignore it), and
 * refuses windows above 128 MiB (its default limit), which keeps a hostile frame from
 * claiming gigabytes. Null on a Node without it (the reader then uses wasm-zstd.ts, the same
 * libzstd compiled to WebAssembly). The reader drives it on its own thread (inline-zlib.ts).
 */
export function createNativeZstd(): Transform | null {
  return zstdFactory()?.({}) ?? null;
}

/** libzstd's error, said as wasm-zstd.ts says the same thing. */
export function nativeZstdMessage(code: string | undefined, message: string): string {
  if (code === 'ZSTD_error_checksum_wrong') return 'content checksum mismatch';
  if (code === 'Z_BUF_ERROR') return 'unexpected end of data';
  return message.charAt(0).toLowerCase() + message.slice(1);
}
