import { constants, createGunzip, type Gunzip } from 'node:zlib';

/**
 * The native handle behind a zlib stream, as Node's own synchronous zlib calls drive it
 * (lib/zlib.js, processChunkSync): `writeSync` inflates into the given output range and leaves
 * the output and input bytes still free in `_writeState`. Not public API, so `InlineGunzip.create`
 * checks for it and the reader falls back to the zlib stream where a Node lacks it.
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
}

/** Output is made in pieces of this size, each into the same buffer. */
const OUTPUT_BYTES = 256 * 1024;

const NO_INPUT = Buffer.alloc(0);

/**
 * gunzip on the calling thread, through one reused output buffer. zlib's stream hands every
 * piece to libuv's thread pool and back, and allocates a fresh output buffer per piece; a layer
 * reader that hashes and parses what comes out then runs two threads per layer that wait on each
 * other, four on two cores with a worker, and makes a collection's worth of garbage per few
 * megabytes. Inflating where the bytes are then consumed does the same work with neither (the
 * Debian bench image's gzip layers: docs/architecture.md, "Both cores"). The errors are zlib's
 * own (code `Z_DATA_ERROR`, "unexpected end of file", ...), as the stream gives them: the same
 * native code runs, concatenated members and trailing zero padding included.
 */
export class InlineGunzip {
  readonly #stream: Gunzip;
  readonly #handle: ZlibHandle;
  readonly #state: Uint32Array;
  readonly #output = Buffer.allocUnsafeSlow(OUTPUT_BYTES);

  private constructor(stream: Gunzip, handle: ZlibHandle, state: Uint32Array) {
    this.#stream = stream;
    this.#handle = handle;
    this.#state = state;
    // A failed write destroys the stream, which emits its error a tick later: `#inflate` has
    // already thrown it by then.
    stream.on('error', () => undefined);
  }

  /** An inflater, or null where this Node's zlib streams lack the handle it drives. */
  static create(): InlineGunzip | null {
    const stream = createGunzip();
    const { _handle: handle, _writeState: state } = stream as unknown as ZlibStreamInternals;
    if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array) || state.length < 2) {
      stream.destroy();
      return null;
    }
    return new InlineGunzip(stream, handle, state);
  }

  /**
   * Inflates `input`, giving each piece of output to `take`: a view of one reused buffer, valid
   * only during the call.
   */
  write(input: Uint8Array, take: (output: Buffer) => void): void {
    this.#inflate(constants.Z_NO_FLUSH, input, take);
  }

  /** Ends the input: the rest of the output to `take`; throws where the gzip data stops early. */
  end(take: (output: Buffer) => void): void {
    this.#inflate(constants.Z_FINISH, NO_INPUT, take);
    this.close();
  }

  /** Frees zlib's state; the inflater takes nothing after. */
  close(): void {
    this.#stream.destroy();
  }

  #inflate(flush: number, input: Uint8Array, take: (output: Buffer) => void): void {
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
