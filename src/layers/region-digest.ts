import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { REGION_CHUNK_BYTES, yieldToEventLoop } from './read-layer.js';
import type { FileRegion } from './worker-protocol.js';

/**
 * The sha256 of a file region ("sha256:HEX"), read as `readLayer` reads a plain layer: synchronous
 * reads into one reused buffer, a turn of the event loop after each chunk. A docker-archive's
 * layer is hashed so before its stored result is trusted; a file shorter than the region hashes
 * what is there (the digest then differs, and the layer is read, and refused, as without a cache).
 */
export async function regionDigest(region: FileRegion, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const fd = openSync(region.path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(REGION_CHUNK_BYTES, region.length)));
    for (let offset = 0; offset < region.length;) {
      const length = Math.min(buffer.length, region.length - offset);
      const bytesRead = readSync(fd, buffer, 0, length, region.offset + offset);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      offset += bytesRead;
      await yieldToEventLoop();
      signal?.throwIfAborted();
    }
  } finally {
    closeSync(fd);
  }
  return `sha256:${hash.digest('hex')}`;
}
