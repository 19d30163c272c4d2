import { Transform, Writable } from 'node:stream';

/**
 * What takes a stream's bytes: each chunk, then the end; either may throw, which fails the stream.
 * The layer reader's parts (the tar parser, a digest check, a whole layer read) are plain objects
 * of this shape, made into a stream only where a pipeline needs one: a module that extends
 * Node's stream classes loads node:stream as the bundle starts (about 3 ms of a small image's run
 * on Node 20, which needs no stream where its layers' results are stored).
 */
export interface ChunkConsumer {
  take(chunk: Buffer): void;
  end(): void;
}

/** A Writable that hands each chunk to `consumer`, and its end. */
export function consumerStream(consumer: ChunkConsumer): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      callback(failure(() => consumer.take(chunk)));
    },
    final(callback) {
      callback(failure(() => consumer.end()));
    },
  });
}

/** A Transform that shows each chunk to `consumer` and passes it on unchanged. */
export function watchingStream(consumer: ChunkConsumer): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const error = failure(() => consumer.take(chunk));
      if (error === null) callback(null, chunk);
      else callback(error);
    },
    flush(callback) {
      callback(failure(() => consumer.end()));
    },
  });
}

/** What `step` threw, or null. */
function failure(step: () => void): Error | null {
  try {
    step();
    return null;
  } catch (error) {
    return error as Error;
  }
}
