import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes each chunk on once the call that produced it has returned, not inside it. Node's zlib
 * inflates on a threadpool thread but starts on its next piece only after the handlers of the
 * last piece's output return: behind this stage they return at once, so that thread inflates the
 * next piece while this one hashes and parses the last (both cores on one layer, not one).
 */
export class Handoff extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    process.nextTick(callback, null, chunk);
  }
}
