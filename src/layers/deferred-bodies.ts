import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputFormatError } from '../errors.js';
import type { BodyHasher } from '../model/index.js';
import { contentHasher } from './content-hash.js';
import type { ContentKey } from './content-key.js';
import { sameState, stateOf, type FileState } from './file-state.js';
import type { FileRegion } from './worker-protocol.js';

/** How much of a body one read takes while it is hashed again. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The content hashes of deferred bodies of the plain layer at `region` (EntryTable.setDeferredContent),
 * each `[offset in the layer's tar, length]`, as its read would have made them: the same hash
 * under `key`, of the same bytes, the file opened once for all. `before` is the file's state
 * from before the read began: a file written since (whose bytes the layer's diff_id no longer
 * vouches for) fails the run instead of giving a hash of other bytes.
 */
export function hashRegionBodies(
  region: FileRegion,
  key: ContentKey,
  before: FileState,
  bodies: readonly (readonly [number, number])[],
): Uint8Array[] {
  const fd = openSync(region.path, 'r');
  try {
    if (!sameState(stateOf(fstatSync(fd, { bigint: true })), before))
      throw new InputFormatError(`${region.path} changed while it was read`, {
        hint: 'run imgscope again once nothing writes to it',
      });
    const buffer = Buffer.allocUnsafe(
      Math.min(CHUNK_BYTES, Math.max(0, ...bodies.map(([, length]) => length))),
    );
    return bodies.map(([offset, length]) => {
      if (offset + length > region.length)
        throw new Error(`a deferred body at ${offset} (${length} bytes) lies outside its layer`);
      const hash = contentHasher(key, length);
      for (let done = 0; done < length;) {
        const read = readSync(
          fd,
          buffer,
          0,
          Math.min(buffer.length, length - done),
          region.offset + offset + done,
        );
        if (read === 0) throw new InputFormatError(`${region.path} ended early while it was read`);
        hash.update(buffer.subarray(0, read));
        done += read;
      }
      return hash.digest();
    });
  } finally {
    closeSync(fd);
  }
}

/** `hashRegionBodies` one body at a time: how a table hashes a deferred body when asked for it. */
export function regionBodyHasher(region: FileRegion, key: ContentKey, before: FileState): BodyHasher {
  return (offset, length) => hashRegionBodies(region, key, before, [[offset, length]])[0] as Uint8Array;
}
