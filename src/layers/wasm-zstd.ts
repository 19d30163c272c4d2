import { compileBuiltWasm, WebAssemblyOffError, type WasmInstantiator } from './built-wasm.js';
import type { InlineDecoder } from './inline-decoder.js';

/** zstd-wasm/zstd-decompress.wasm, libzstd's decoder built by scripts/build-zstd-wasm.sh. */
const WASM_PATH = 'layers/zstd-wasm/zstd-decompress.wasm';

/** What the module exports (size_t and pointers are i32 on wasm32). */
interface ZstdExports {
  memory: { buffer: ArrayBuffer };
  malloc(size: number): number;
  ZSTD_createDCtx(): number;
  ZSTD_freeDCtx(dctx: number): number;
  ZSTD_DCtx_setParameter(dctx: number, parameter: number, value: number): number;
  /** Takes pointers to a ZSTD_outBuffer and a ZSTD_inBuffer (three 32-bit words each). */
  ZSTD_decompressStream(dctx: number, output: number, input: number): number;
  ZSTD_isError(result: number): number;
  ZSTD_getErrorName(result: number): number;
}

const ZSTD_D_WINDOW_LOG_MAX = 100;
/** 128 MiB, libzstd's default, which native-zstd.ts keeps: a hostile frame cannot claim more. */
const WINDOW_LOG_MAX = 27;
/** As inline-zlib.ts's output buffer. */
const INPUT_BYTES = 256 * 1024;
const OUTPUT_BYTES = 256 * 1024;
// Word indexes of the buffer descriptors: { pointer, size, pos }.
const POINTER = 0;
const SIZE = 1;
const POS = 2;
const NO_BYTES = Buffer.alloc(0);

let compiled: WasmInstantiator | undefined;

/** An instance of the module and the buffers allocated in it, which outlive one decoder. */
interface ZstdWorkspace {
  zstd: ZstdExports;
  input: number;
  output: number;
  /** The ZSTD_inBuffer and ZSTD_outBuffer descriptors (24 bytes). */
  descriptors: number;
}

/**
 * A workspace a decoder on this thread left, kept for the next: an instance's memory never
 * shrinks and is freed only when the instance is collected, so a fresh one per layer kept one
 * window (8 MiB for most layers) per layer read until a collection. Of two, the one whose
 * decoder took more input is kept: its window's pages are the ones already touched.
 */
let idle: { workspace: ZstdWorkspace; used: number } | null = null;
/**
 * A workspace whose memory grew past this (for a frame's window over 8 MiB, which most layers'
 * are not) is not kept: it goes with its decoder.
 */
const KEEP_MAX_BYTES = 16 * 1024 * 1024;

/** The idle workspace, or a new instance (the module compiled once per thread). */
function takeWorkspace(): ZstdWorkspace {
  const kept = idle;
  if (kept !== null) {
    idle = null;
    return kept.workspace;
  }
  compiled ??= compileBuiltWasm(WASM_PATH);
  if (compiled === undefined) throw new WebAssemblyOffError();
  const zstd = compiled() as ZstdExports;
  const workspace = {
    zstd,
    input: zstd.malloc(INPUT_BYTES),
    output: zstd.malloc(OUTPUT_BYTES),
    descriptors: zstd.malloc(24),
  };
  if (workspace.input === 0 || workspace.output === 0 || workspace.descriptors === 0) {
    throw new Error('zstd: out of WebAssembly memory');
  }
  return workspace;
}

/**
 * libzstd's streaming decoder, compiled to WebAssembly, driven on the calling thread: for a Node
 * whose zlib has no working zstd (native-zstd.ts). It follows concatenated and skippable frames,
 * verifies each frame's content checksum (libzstd's default, never turned off) and refuses
 * windows above 128 MiB. Each decoder has its own libzstd context; the instance it runs in goes
 * to the thread's next decoder once its stream ended cleanly (`takeWorkspace`). Output is handed
 * on 256 KiB at a time as it is made, so a small chunk that expands a million times is never
 * held whole.
 */
export class WasmZstdDecoder implements InlineDecoder {
  private readonly workspace: ZstdWorkspace;
  private readonly zstd: ZstdExports;
  private dctx: number;
  private readonly input: number;
  private readonly output: number;
  /** The ZSTD_inBuffer and ZSTD_outBuffer descriptors, as word indexes into `words`. */
  private readonly inWords: number;
  private readonly outWords: number;
  private bytes: Uint8Array;
  private words: Uint32Array;

  /** The chunk being decoded, how much of it was handed to libzstd, and where that piece began. */
  private chunk: Uint8Array = NO_BYTES;
  private loaded = 0;
  private pieceStart = 0;
  private outputFull = false;

  /** Stream offset of the current chunk's first byte. */
  private offset = 0;
  /** Stream offset of the frame being decoded: where the last complete one ended. */
  private frameStart = 0;
  /** The frame's first bytes (its magic number), for the message when it is not zstd. */
  private readonly head = Buffer.alloc(4);
  private headLength = 0;
  /** libzstd refused the frame's magic before all four bytes had come. */
  private badMagic = false;

  constructor() {
    this.workspace = takeWorkspace();
    const { zstd, input, output, descriptors } = this.workspace;
    this.zstd = zstd;
    this.input = input;
    this.output = output;
    this.dctx = zstd.ZSTD_createDCtx();
    if (this.dctx === 0) throw new Error('zstd: out of WebAssembly memory');
    this.check(zstd.ZSTD_DCtx_setParameter(this.dctx, ZSTD_D_WINDOW_LOG_MAX, WINDOW_LOG_MAX));
    this.inWords = descriptors / 4;
    this.outWords = descriptors / 4 + 3;
    this.bytes = new Uint8Array(zstd.memory.buffer);
    this.words = new Uint32Array(zstd.memory.buffer);
    this.words[this.inWords + POINTER] = this.input;
    this.words[this.outWords + POINTER] = this.output;
    this.words[this.outWords + SIZE] = OUTPUT_BYTES;
  }

  write(input: Uint8Array, take: (output: Buffer) => void): void {
    this.fillHead(input, 0);
    if (this.badMagic) {
      if (this.headLength === 4) throw this.unknownMagic();
      this.offset += input.length;
      return;
    }
    this.chunk = input;
    this.loaded = 0;
    this.decode(take);
    this.offset += input.length;
    this.chunk = NO_BYTES;
  }

  end(): void {
    if (this.offset !== this.frameStart)
      throw new Error(`unexpected end of data in the frame at byte ${this.frameStart}`);
    // Only after a clean end (and once): a decoder stopped by an error or an abort leaves its
    // instance to the collector, whatever state the error left libzstd's allocator in.
    const keep =
      this.dctx !== 0 &&
      (idle === null || idle.used < this.offset) &&
      this.zstd.memory.buffer.byteLength <= KEEP_MAX_BYTES;
    this.close();
    if (keep) idle = { workspace: this.workspace, used: this.offset };
  }

  close(): void {
    if (this.dctx !== 0) this.zstd.ZSTD_freeDCtx(this.dctx);
    this.dctx = 0;
  }

  /** Decodes the whole chunk, handing on each full or last piece of output. */
  private decode(take: (output: Buffer) => void): void {
    for (;;) {
      const inWords = this.inWords;
      let words = this.words;
      const before = words[inWords + POS] ?? 0;
      const pieceEnd = words[inWords + SIZE] ?? 0;
      if (before === pieceEnd && !this.outputFull) {
        if (this.loaded === this.chunk.length) return;
        this.load();
        continue;
      }
      words[this.outWords + POS] = 0;
      const result = this.zstd.ZSTD_decompressStream(this.dctx, this.outWords * 4, inWords * 4);
      if (this.zstd.ZSTD_isError(result)) {
        if (this.refusedMagicEarly(result)) return;
        throw this.failure(result);
      }
      words = this.view();
      const produced = words[this.outWords + POS] ?? 0;
      const after = words[inWords + POS] ?? 0;
      this.outputFull = produced === OUTPUT_BYTES;
      if (result === 0) this.frameEnded(this.pieceStart + after);
      // libzstd gives up after 16 such calls itself; one is already wrong here.
      if (produced === 0 && after === before && after < pieceEnd) {
        throw new Error('zstd: the decoder stopped making progress');
      }
      if (produced > 0) take(Buffer.from(this.bytes.buffer, this.output, produced));
    }
  }
  /** Copies the chunk's next piece into the module's input buffer. */
  private load(): void {
    const length = Math.min(INPUT_BYTES, this.chunk.length - this.loaded);
    this.view();
    this.bytes.set(this.chunk.subarray(this.loaded, this.loaded + length), this.input);
    this.words[this.inWords + SIZE] = length;
    this.words[this.inWords + POS] = 0;
    this.pieceStart = this.loaded;
    this.loaded += length;
  }

  /** The views on the module's memory, renewed after it grew (growing detaches the old buffer). */
  private view(): Uint32Array {
    const buffer = this.zstd.memory.buffer;
    if (this.words.buffer !== buffer) {
      this.bytes = new Uint8Array(buffer);
      this.words = new Uint32Array(buffer);
    }
    return this.words;
  }

  /** A frame ended `at` bytes into the chunk: the next one starts there. */
  private frameEnded(at: number): void {
    this.frameStart = this.offset + at;
    this.headLength = 0;
    this.fillHead(this.chunk, at);
  }

  private fillHead(chunk: Uint8Array, at: number): void {
    if (this.headLength === 4) return;
    const part = chunk.subarray(at, at + 4 - this.headLength);
    this.head.set(part, this.headLength);
    this.headLength += part.length;
  }

  /**
   * libzstd refuses a frame as soon as its first bytes match no magic; the message names all
   * four, so when they have not all come, the refusal waits for them (or for the end: truncated).
   */
  private refusedMagicEarly(result: number): boolean {
    if (this.errorName(result) !== 'Unknown frame descriptor' || this.headLength === 4) return false;
    this.badMagic = true;
    return true;
  }

  private failure(result: number): Error {
    const name = this.errorName(result);
    if (name === 'Unknown frame descriptor') return this.unknownMagic();
    if (name === "Restored data doesn't match checksum") return new Error('content checksum mismatch');
    return new Error(name);
  }

  private unknownMagic(): Error {
    const magic = this.head.readUInt32LE(0).toString(16).padStart(8, '0');
    return new Error(`unknown frame magic 0x${magic} at byte ${this.frameStart}`);
  }

  private check(result: number): void {
    if (this.zstd.ZSTD_isError(result)) throw new Error(`zstd: ${this.errorName(result)}`);
  }

  /** libzstd's text for an error result (a static C string). */
  private errorName(result: number): string {
    const start = this.zstd.ZSTD_getErrorName(result);
    const bytes = new Uint8Array(this.zstd.memory.buffer);
    return Buffer.from(bytes.subarray(start, bytes.indexOf(0, start))).toString('latin1');
  }
}
