/**
 * The content key of the stored layer results: `ROOT/layers/VERSION/content-key`, 32 random
 * bytes and the key's id (16 bytes, written with the key so that reading it needs no hash: a
 * small image's warm run hashes nothing), 0600, made by the first run that uses the results of
 * that version. Every result
 * stored there was hashed under it (and carries its id), so a run that uses them hashes the
 * layers it reads under it too. Made race-free: the key is written to a temporary file and
 * hard-linked into place, which fails when another process got there first; the loser then
 * reads the winner's key, so concurrent runs end with one key. A damaged key (of another
 * length) is moved away and made afresh; results stored under the old one no longer match by id
 * and are read again (two runs replacing it at once may each keep a key of their own for that
 * run: the ids keep their results apart, the later key stays). Deleting the file is safe at any
 * time, for the same reason. A key that can be neither read nor made (a read-only cache)
 * leaves the results unused, without a word, as any cache write that fails.
 */
import { readFileSync } from 'node:fs';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTENT_KEY_BYTES, randomContentKey, type ContentKey } from '../layers/index.js';
import { PRIVATE_FILE_MODE, makePrivateDir, makePrivateFile } from '../private-files.js';
import { temporaryPath } from './cache-files.js';

export const CONTENT_KEY_FILE = 'content-key';

/** The key's id as stored after it: its 32 hex digits as bytes. */
const ID_BYTES = 16;

export interface StoredContentKey {
  /** Null when no key could be read or made: no result is used or stored then. */
  key: ContentKey | null;
  /** One line for stderr when the key was damaged. */
  warning: string | null;
}

/** The key of the results in `versionDir` (under the cache `root`), made when there is none. */
export async function storedContentKey(root: string, versionDir: string): Promise<StoredContentKey> {
  const path = join(versionDir, CONTENT_KEY_FILE);
  let warning: string | null = null;
  try {
    // Twice at most: a damaged key is replaced once; a second damaged one is left alone.
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await readKey(path);
      if (existing !== null && existing !== 'damaged') return { key: existing, warning };
      if (existing === 'damaged') {
        if (attempt > 0) break;
        warning = `the layer-result cache's content key ${path} is damaged; a new one was made (results stored under the old one are read again)`;
        await setAside(root, path);
      }
      const made = await makeKey(root, versionDir, path);
      if (made !== null) return { key: made, warning };
    }
  } catch {
    // A cache that cannot be written (read-only, full, another user's) is off, as in cache-files.ts.
    return { key: null, warning: null };
  }
  return {
    key: null,
    warning: `the layer-result cache's content key ${path} stays damaged; layer results are neither used nor stored (remove it to start afresh)`,
  };
}

/** The key at `path`; null when there is none; 'damaged' when the file is not a key. */
async function readKey(path: string): Promise<ContentKey | 'damaged' | null> {
  let bytes: Buffer;
  try {
    // 32 bytes: read synchronously, not through a round trip to libuv's thread pool.
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (bytes.length !== CONTENT_KEY_BYTES + ID_BYTES) return 'damaged';
  return {
    bytes: Uint8Array.from(bytes.subarray(0, CONTENT_KEY_BYTES)),
    id: bytes.subarray(CONTENT_KEY_BYTES).toString('hex'),
  };
}

/** What the key file holds: the key, then its id. */
export function storedKeyBytes(key: ContentKey): Buffer {
  return Buffer.concat([key.bytes, Buffer.from(key.id, 'hex')]);
}

/** Moves a damaged key out of the way (gone already: another process moved it). */
async function setAside(root: string, path: string): Promise<void> {
  const aside = temporaryPath(root, `${CONTENT_KEY_FILE}-damaged`);
  await makePrivateDir(join(root, 'tmp'));
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rm(aside, { force: true });
}

/** A new key linked into place as `path`; null when another process linked one first. */
async function makeKey(root: string, versionDir: string, path: string): Promise<ContentKey | null> {
  const key = randomContentKey();
  const tmpPath = temporaryPath(root, CONTENT_KEY_FILE);
  try {
    await makePrivateDir(join(root, 'tmp'));
    await writeFile(tmpPath, storedKeyBytes(key), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    await makePrivateFile(tmpPath);
    await makePrivateDir(versionDir);
    await link(tmpPath, path);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  } finally {
    await rm(tmpPath, { force: true }).catch(() => undefined);
  }
}
