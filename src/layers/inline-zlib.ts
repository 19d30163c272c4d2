import type { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InlineDecoder } from './inline-decoder.js';
import { createNativeZstd } from './native-zstd.js';

/**
 * The native handle behind a zlib stream, as Node's own synchronous zlib calls drive it
 * (lib/zlib.js, processChunkSync): `writeSync` inflates into the given output range and leaves
 * the output and input bytes still free in `_writeState`. Not public API, so `InlineZlib`
 * checks for it, and where a Node lacks it the reader falls back to zlib's gunzip stream and to
 * libzstd as WebAssembly (compression.ts).
 */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void;
}

interface ZlibStreamInternals {
  _handle?: ZlibHandle | null;
  _writeState?: unknown;
  /** The flush values the stream itself passes: zlib's and zstd's differ. */
  _defaultFlushFlag?: unknown;
  _finishFlushFlag?: unknown;
}

/** Output is made in pieces of this size, each into the same buffer. */
const OUTPUT_BYTES = 256 * 1024;

const NO_INPUT = Buffer.alloc(0);

/**
 * zlib's decoders (gunzip; zstd where native-zstd.ts has it) on the calling thread, through one
 * reused output buffer. zlib's stream hands every piece to libuv's thread pool and back, and
 * allocates a fresh output buffer per piece; a layer reader that hashes and parses what comes
 * out then runs two threads per layer that wait on each other, four on two cores with a worker,
 * and makes a collection's worth of garbage per few megabytes. Decoding where the bytes are then
 * consumed does the same work with neither (docs/architecture.md, "Both cores"). The errors
 * are zlib's own (code `Z_DATA_ERROR`, "unexpected end of file", `ZSTD_error_checksum_wrong`,
 * ...), as the stream gives them: the same native code runs, concatenated gzip members and zstd
 * frames, and trailing zero padding after gzip, included.
 */
export class InlineZlib implements InlineDecoder {
  readonly #stream: Transform;
  readonly #handle: ZlibHandle;
  readonly #state: Uint32Array;
  readonly #flush: number;
  readonly #finish: number;
  readonly #output = Buffer.allocUnsafeSlow(OUTPUT_BYTES);

  private constructor(
    stream: Transform,
    handle: ZlibHandle,
    state: Uint32Array,
    flush: number,
    finish: number,
  ) {
    this.#stream = stream;
    this.#handle = handle;
    this.#state = state;
    this.#flush = flush;
    this.#finish = finish;
    // A failed write destroys the stream, which emits its error a tick later: `#decode` has
    // already thrown it by then.
    stream.on('error', () => undefined);
  }

  /** gunzip, or null where this Node's zlib streams lack the handle it drives. */
  static gunzip(): InlineZlib | null {
    return InlineZlib.#driving(createGunzip());
  }

  /** Node's zstd decoder, or null where this Node has none (native-zstd.ts) or lacks the handle. */
  static zstd(): InlineZlib | null {
    const stream = createNativeZstd();
    return stream === null ? null : InlineZlib.#driving(stream);
  }

  static #driving(stream: Transform): InlineZlib | null {
    const internals = stream as unknown as ZlibStreamInternals;
    const {
      _handle: handle,
      _writeState: state,
      _defaultFlushFlag: flush,
      _finishFlushFlag: finish,
    } = internals;
    if (
      typeof handle?.writeSync !== 'function' ||
      !(state instanceof Uint32Array) ||
      state.length < 2 ||
      typeof flush !== 'number' ||
      typeof finish !== 'number'
    ) {
      stream.destroy();
      return null;
    }
    return new InlineZlib(stream, handle, state, flush, finish);
  }

  write(input: Uint8Array, take: (output: Buffer) => void): void {
    this.#decode(this.#flush, input, take);
  }

  end(take: (output: Buffer) => void): void {
    this.#decode(this.#finish, NO_INPUT, take);
    this.close();
  }

  close(): void {
    this.#stream.destroy();
  }

  #decode(flush: number, input: Uint8Array, take: (output: Buffer) => void): void {
    let offset = 0;
    let length = input.length;
    for (;;) {
      this.#handle.writeSync(flush, input, offset, length, this.#output, 0, OUTPUT_BYTES);
      const failed = this.#stream.errored;
      if (failed !== null) throw failed;
      const outputLeft = this.#state[0] ?? 0;
      const inputLeft = this.#state[1] ?? 0;
      if (outputLeft < OUTPUT_BYTES) take(this.#output.subarray(0, OUTPUT_BYTES - outputLeft));
      offset += length - inputLeft;
      length = inputLeft;
      // A full output buffer means zlib may have more: ask again (lib/zlib.js does the same).
      if (outputLeft !== 0) return;
    }
  }
}
