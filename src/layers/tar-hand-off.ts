import type { LayerContents } from '../model/index.js';
import { decodeLayerContents } from './layer-contents-codec.js';
import type { TarHandOff } from './read-layer.js';
import type { ToWorker } from './worker-protocol.js';

/** The tar is handed over in buffers of this size: a few messages per megabyte instead of one per piece. */
const BUFFER_BYTES = 1024 * 1024;
/** Buffers handed over and not yet handed back (8 MiB): past this the decoding thread waits. */
const WINDOW_BUFFERS = 8;

/** How the worker answered a split read's tar half. */
export type TarAnswer =
  { kind: 'done'; contents: ArrayBuffer } | { kind: 'failed'; error: unknown } | { kind: 'settled' };

/**
 * The main thread's end of a split read (read-layer.ts, `TarHandOff`): the tar's pieces are
 * copied into buffers that are transferred to a worker, which checks the diff_id, parses and
 * hashes (worker.ts), and hands each buffer back to be filled again, so a layer's hundreds of
 * megabytes make no garbage and at most `WINDOW_BUFFERS` are on their way. The worker answers
 * its first error at once; from then on nothing more is sent, and the blob is read on to its end
 * only for its digest, whose mismatch is the truer error.
 */
export class TarForward implements TarHandOff {
  readonly #id: number;
  readonly #post: (message: ToWorker, transfer?: ArrayBuffer[]) => void;
  /** Called once the worker has no more to do with this read (answered, or told to stop). */
  readonly #detach: () => void;
  /** Buffers handed back, to be filled again. */
  readonly #free: ArrayBuffer[] = [];
  #buffer: Uint8Array | null = null;
  #fill = 0;
  /** Buffers handed over and not yet back. */
  #out = 0;
  #room: { promise: Promise<void>; resolve: () => void } | null = null;
  #answer: TarAnswer | null = null;
  #onAnswer: (() => void) | null = null;
  /** Whether the worker was told how the blob ended (`tar-end`) or to stop. */
  #told = false;

  constructor(id: number, post: (message: ToWorker, transfer?: ArrayBuffer[]) => void, detach: () => void) {
    this.#id = id;
    this.#post = post;
    this.#detach = detach;
  }

  take(tar: Buffer): void {
    // The worker's first error is its answer: the rest of the tar would go unread.
    if (this.#answer !== null) return;
    for (let offset = 0; offset < tar.length;) {
      if (this.#buffer === null) {
        this.#buffer = new Uint8Array(this.#free.pop() ?? new ArrayBuffer(BUFFER_BYTES));
        this.#fill = 0;
      }
      const length = Math.min(tar.length - offset, BUFFER_BYTES - this.#fill);
      this.#buffer.set(tar.subarray(offset, offset + length), this.#fill);
      this.#fill += length;
      offset += length;
      if (this.#fill === BUFFER_BYTES) this.#send();
    }
  }

  ready(): Promise<void> | null {
    if (this.#out < WINDOW_BUFFERS || this.#answer !== null) return null;
    if (this.#room === null) {
      let resolve = (): void => undefined;
      const promise = new Promise<void>((settle) => (resolve = settle));
      this.#room = { promise, resolve };
    }
    return this.#room.promise;
  }

  async finish(storedBytes: number): Promise<LayerContents> {
    const answer = await this.#end(storedBytes);
    if (answer.kind === 'failed') throw answer.error;
    if (answer.kind === 'settled') throw new Error('a layer worker settled a read whose blob decoded');
    return decodeLayerContents(answer.contents);
  }

  async settle(broken: unknown): Promise<never> {
    const answer = await this.#end(null);
    throw answer.kind === 'failed' ? answer.error : broken;
  }

  cancel(): void {
    if (this.#told) return;
    this.#told = true;
    this.#post({ kind: 'abort', id: this.#id });
    this.#detach();
  }

  /** A buffer back from the worker. */
  taken(buffer: ArrayBuffer): void {
    this.#out--;
    this.#free.push(buffer);
    if (this.#room !== null && this.#out <= WINDOW_BUFFERS / 2) this.#openRoom();
  }

  /** The worker's answer (or the loss of its thread); the first one counts. */
  answered(answer: TarAnswer): void {
    if (this.#answer !== null) return;
    this.#answer = answer;
    this.#openRoom();
    if (answer.kind !== 'failed' || this.#told) this.#detach();
    this.#onAnswer?.();
  }

  /** Sends the last buffer and how the blob ended (null: its decoding broke), and waits for the answer. */
  #end(storedBytes: number | null): Promise<TarAnswer> {
    if (this.#buffer !== null && this.#answer === null) this.#send();
    this.#told = true;
    this.#post({ kind: 'tar-end', id: this.#id, storedBytes });
    const answer = this.#answer;
    if (answer !== null) {
      this.#detach();
      return Promise.resolve(answer);
    }
    return new Promise((resolve) => {
      this.#onAnswer = () => resolve(this.#answer as TarAnswer);
    });
  }

  #send(): void {
    const bytes = (this.#buffer as Uint8Array).subarray(0, this.#fill);
    this.#buffer = null;
    this.#out++;
    this.#post({ kind: 'chunk', id: this.#id, bytes }, [bytes.buffer as ArrayBuffer]);
  }

  #openRoom(): void {
    this.#room?.resolve();
    this.#room = null;
  }
}
