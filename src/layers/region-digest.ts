import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { regionChunks } from './region-chunks.js';
import type { FileRegion } from './worker-protocol.js';

/**
 * The sha256 of a file region ("sha256:HEX"), read as `readLayer` reads a plain layer
 * (`regionChunks`). A docker-archive's layer is hashed so before its stored result is trusted; a
 * file shorter than the region hashes what is there (the digest then differs, and the layer is
 * read, and refused, as without a cache).
 */
export async function regionDigest(region: FileRegion, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const fd = openSync(region.path, 'r');
  try {
    for await (const chunk of regionChunks(fd, region, signal)) hash.update(chunk);
  } finally {
    closeSync(fd);
  }
  return `sha256:${hash.digest('hex')}`;
}
