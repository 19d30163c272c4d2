import { closeSync, openSync } from 'node:fs';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImgscopeError, InputFormatError } from '../errors.js';
import type { Compression, LayerContents } from '../model/index.js';
import { createGunzipStream, createInlineDecoder, peekStream, sniffCompression } from './compression.js';
import type { InlineDecoder } from './inline-decoder.js';
import type { ContentKey } from './content-key.js';
import { DigestCheck, DigestVerifier } from './digest-check.js';
import { regionChunks } from './region-chunks.js';
import { nativeZstdMessage } from './native-zstd.js';
import { TarRead } from './tar-read.js';
import { TarFormatError } from './tar-parser.js';
import type { FileRegion } from './worker-protocol.js';

/**
 * What `readLayer` records of a layer, as a number: bump it whenever a change to the reader (what
 * it keeps, hashes, scans or warns about) changes the result a layer yields, so results cached by
 * an older reader are not used (see layer-result-version.ts).
 */
export const LAYER_READER_VERSION = 2;

export interface LayerReadOptions {
  /** How errors name the layer, e.g. "layer 3". */
  label: string;
  /** Digest of the stored blob, verified while streaming; null where the source names none. */
  digest: string | null;
  /**
   * Whether the stream itself fails at its end where the blob's digest does not match (a
   * registry download, which hashes it instead of the reader: `digest` is null then).
   */
  sourceVerifies?: boolean;
  /** Size of the stored blob from its descriptor, checked with the digest. */
  size: number | null;
  /** Digest of the uncompressed tar (the config's diff_id), verified while streaming. */
  diffId: string | null;
  /** The key of the file-content hashes: the one every result compared with this one is hashed under. */
  contentKey: ContentKey;
  /** Stops the read (another layer already failed, say). */
  signal?: AbortSignal;
}

/** A layer's stored bytes: a stream to open, and where they lie when they are in a local file. */
export interface LayerInput {
  open(): Promise<Readable>;
  region: FileRegion | null;
}

/**
 * The tar half of a split read, on another thread (layer-reader.ts): this thread receives the
 * blob, checks its digest and decodes it, and hands each piece of the tar over; the other checks
 * the diff_id, parses and hashes the files. Errors stay those of a read on one thread, in the
 * same order: the blob's digest first, then whatever broke first in the tar's order.
 */
export interface TarHandOff {
  /** The next piece of the tar; copied (the piece is valid during the call only). */
  take(tar: Buffer): void;
  /** Null when more may be handed over now, else a promise of when (the window is full). */
  ready(): Promise<void> | null;
  /** The blob checked out and decoded whole: the tar's checks and the result, from the other side. */
  finish(storedBytes: number): Promise<LayerContents>;
  /**
   * The blob checked out but decoding it broke (`broken`): rejects with the other side's own error
   * where it had one (from an earlier piece of the tar), else with `broken`.
   */
  settle(broken: unknown): Promise<never>;
  /** Stops the other side, unless it has answered (the read failed or was stopped); no-op after. */
  cancel(): void;
}

/**
 * Where a read may hand its tar over (a split read): asked once the compression is known; null
 * (or no `handOff` at all) reads the tar on this thread.
 */
export type HandOffFor = (compression: Compression) => TarHandOff | null;

/**
 * Reads one layer blob: verify the stored digest, sniff and decompress, verify the diffID, parse
 * tar headers and hash regular-file bodies (content-hash.ts). Nothing is held in memory but the
 * entry records. A layer in a local file, plain or compressed (a docker-archive's or an OCI
 * layout's: `LayerInput.region`), is read without a stream (readRegion); the rest streams. With
 * `handOff`, a compressed blob whose digest is checked may have its tar read by another thread.
 */
export async function readLayer(
  input: LayerInput,
  options: LayerReadOptions,
  handOff?: HandOffFor,
): Promise<LayerContents> {
  if (input.region !== null) {
    const fd = openSync(input.region.path, 'r');
    try {
      const contents = await readRegion(fd, input.region, options, handOff);
      if (contents !== null) return contents;
    } finally {
      closeSync(fd);
    }
  }
  return readStream(input.open, options, handOff);
}

/**
 * The stream of a layer blob, through every check and the parser (any compression): to one sink
 * that does the whole read on this thread (`LayerRead.take`), or, for gzip where zlib's handle
 * cannot be driven inline, through zlib's gunzip stream.
 */
async function readStream(
  open: () => Promise<Readable>,
  options: LayerReadOptions,
  handOff: HandOffFor | undefined,
): Promise<LayerContents> {
  const raw = await open();
  const { head, stream } = await peekStream(raw, 4);
  const compression = sniffCompression(head);
  const read = new LayerRead(compression, options, handOff);
  try {
    if (read.inline) await pipeline(stream, new LayerSink(read), { signal: options.signal });
    else
      await pipeline(
        [
          stream,
          new DigestCheck(read.stored),
          createGunzipStream(),
          new DigestCheck(read.tar.content),
          read.tar.parser,
        ],
        { signal: options.signal },
      );
    return await read.result();
  } catch (err) {
    throw describeLayerError(err, options.label, compression);
  } finally {
    read.close();
  }
}

/**
 * A layer blob in a local file, read as `readStream` would read it (the same checks in the same
 * order, the same errors) through `regionChunks`; null, having read one chunk, where its decoder
 * cannot be driven inline (`LayerRead.inline`).
 */
async function readRegion(
  fd: number,
  region: FileRegion,
  options: LayerReadOptions,
  handOff: HandOffFor | undefined,
): Promise<LayerContents | null> {
  const chunks = regionChunks(fd, region, options.signal);
  let chunk = await chunks.next();
  const head = chunk.done === true ? Buffer.alloc(0) : chunk.value;
  const compression = sniffCompression(head.subarray(0, 4));
  const read = new LayerRead(compression, options, handOff);
  try {
    if (!read.inline) return null;
    for (; chunk.done !== true; chunk = await chunks.next()) {
      read.take(chunk.value);
      const ready = read.ready();
      if (ready !== null) await ready;
    }
    read.end();
    return await read.result();
  } catch (err) {
    throw describeLayerError(err, options.label, compression);
  } finally {
    read.close();
  }
}

/** Hands a stream's chunks to a `LayerRead`, failing the stream where it throws. */
class LayerSink extends Writable {
  readonly #read: LayerRead;

  constructor(read: LayerRead) {
    super();
    this.#read = read;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      this.#read.take(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    const ready = this.#read.ready();
    if (ready === null) callback();
    else void ready.then(() => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    try {
      this.#read.end();
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}

/**
 * What one read of a layer fills: the stored blob's check and decoder, and the tar's half
 * (`TarRead`), here or, handed over, on another thread.
 */
class LayerRead {
  /** The stored blob's size and digest. */
  readonly stored: DigestVerifier;
  /** The tar's half on this thread (unused where it is handed over). */
  readonly tar: TarRead;
  /** Decompresses the blob on this thread; null for a plain one (and for gzip on the stream path). */
  readonly #decoder: InlineDecoder | null;
  /** Whether `take` and `end` can read this blob: plain, or a decoder to drive. */
  readonly inline: boolean;
  /** Whether a digest is checked at the end of the blob, here or by its stream (`take`). */
  readonly #digestChecked: boolean;
  /** What broke past the stored digest's check, thrown once that check passed (`take`). */
  #broken: unknown = undefined;
  /** Where the tar goes instead of `tar`: another thread's half of a split read. */
  readonly #handOff: TarHandOff | null;
  /** Where each piece of the tar goes. */
  readonly #takeTar: (tar: Buffer) => void;

  constructor(compression: Compression, options: LayerReadOptions, handOff: HandOffFor | undefined) {
    this.stored = new DigestVerifier(`${options.label} blob`, options.digest, options.size);
    // An uncompressed blob named by its diff_id (skopeo, Docker >= 25) needs hashing only once.
    const sameBytes = compression === 'none' && options.digest === options.diffId;
    const { label, contentKey } = options;
    this.tar = new TarRead({ label, diffId: sameBytes ? null : options.diffId, contentKey, compression });
    this.#digestChecked = this.stored.checksDigest || options.sourceVerifies === true;
    this.#decoder = createInlineDecoder(compression);
    this.inline = compression === 'none' || this.#decoder !== null;
    // Only where the tar's errors wait for the digest's check anyway (`take`), and it is decoded here.
    const split = this.#digestChecked && this.#decoder !== null;
    this.#handOff = split ? (handOff?.(compression) ?? null) : null;
    this.#takeTar = this.#handOff === null ? this.tar.take : this.#handOff.take.bind(this.#handOff);
  }

  /**
   * The next bytes of the stored blob, through every check and the parser (an `inline` read).
   * Where the blob's digest is checked (here, or by its stream: `sourceVerifies`), what its bytes
   * break past that check (the compressed data, the tar) is thrown only at the end, after the
   * digest: a blob that is not what its descriptor names is reported as that, its cause,
   * whichever of its bytes break first.
   */
  take(stored: Buffer): void {
    this.stored.update(stored);
    if (this.#broken !== undefined) return;
    try {
      if (this.#decoder === null) this.#takeTar(stored);
      else this.#decoder.write(stored, this.#takeTar);
    } catch (error) {
      if (!this.#digestChecked) throw error;
      this.#broken = error;
    }
  }

  /** Null when the next bytes may come now; else a promise of when (a split read's window is full). */
  ready(): Promise<void> | null {
    return this.#handOff?.ready() ?? null;
  }

  /**
   * The end of the stored blob: the checks that need every byte, in the stream's order (a split
   * read's tar checks come with its `result`).
   */
  end(): void {
    this.stored.verify();
    if (this.#handOff !== null) {
      if (this.#broken !== undefined) return;
      try {
        this.#decoder?.end(this.#takeTar);
      } catch (error) {
        this.#broken = error;
      }
      return;
    }
    if (this.#broken !== undefined) throw this.#broken;
    this.#decoder?.end(this.#takeTar);
    this.tar.end();
  }

  /** Frees the decoder and stops a handed-over half, whether the read ended or failed. */
  close(): void {
    this.#decoder?.close();
    this.#handOff?.cancel();
  }

  /** The layer's contents, once every byte passed the checks and the parser (`end`). */
  async result(): Promise<LayerContents> {
    const handOff = this.#handOff;
    if (handOff === null) return this.tar.result(this.stored.bytesSeen);
    if (this.#broken !== undefined) return handOff.settle(this.#broken);
    return handOff.finish(this.stored.bytesSeen);
  }
}

/** One clear line for whatever broke inside the layer pipeline. */
export function describeLayerError(err: unknown, label: string, compression: Compression): ImgscopeError {
  if (err instanceof ImgscopeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (compression === 'zstd' && err instanceof Error && !(err instanceof TarFormatError)) {
    const said = nativeZstdMessage(typeof code === 'string' ? code : undefined, message);
    return new InputFormatError(`${label}: corrupt zstd data (${said})`, { cause: err });
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new InputFormatError(`${label}: corrupt gzip data (${message})`, { cause: err });
  }
  if (err instanceof TarFormatError) return new InputFormatError(`${label}: ${message}`, { cause: err });
  return new InputFormatError(`${label}: could not be read (${message})`, { cause: err });
}
