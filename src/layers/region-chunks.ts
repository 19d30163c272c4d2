import { readSync } from 'node:fs';
import type { FileRegion } from './worker-protocol.js';

/** A region of a local file is read in chunks of this size, into one reused buffer. */
const REGION_CHUNK_BYTES = 1024 * 1024;

/** Lets the event loop run: a stop (abort), a worker's message, another layer's read. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The bytes of `region` in the open file `fd`, chunk by chunk, each a view of one reused buffer
 * (valid until the next is asked for); it ends early where the file does. Reads are synchronous:
 * a read from the page cache costs less than handing it to libuv's thread pool and back, and
 * leaves no idle gap while it runs; no garbage per chunk, so no collections forced by hundreds of
 * megabytes of short-lived buffers. The event loop gets a turn after every chunk, and `signal`
 * stops the reading there.
 */
export async function* regionChunks(
  fd: number,
  region: FileRegion,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(REGION_CHUNK_BYTES, region.length)));
  for (let offset = 0; offset < region.length;) {
    const length = Math.min(buffer.length, region.length - offset);
    const bytesRead = readSync(fd, buffer, 0, length, region.offset + offset);
    if (bytesRead === 0) return;
    offset += bytesRead;
    yield buffer.subarray(0, bytesRead);
    // After the last chunk the caller's own next step comes first: no turn to wait for.
    if (offset >= region.length) return;
    await yieldToEventLoop();
    signal?.throwIfAborted();
  }
}
