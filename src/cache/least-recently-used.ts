import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listDir } from './cache-files.js';

/** A cache entry as eviction sees it: its file, its size, and when a run last used it (mtime). */
export interface UsedFile {
  path: string;
  bytes: number;
  lastUsed: Date;
}

/** The files of `dir` as eviction sees them (none when it does not exist), each last used when last written or touched. */
export async function usedFilesIn(dir: string): Promise<UsedFile[]> {
  const files = await Promise.all(
    (await listDir(dir)).map(async (name) => {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      return info?.isFile() === true ? { path, bytes: info.size, lastUsed: info.mtime } : null;
    }),
  );
  return files.filter((file) => file !== null);
}

/** Files and bytes of a directory of speed-ups every file of which may go (compiled code, known files). */
export interface DirectoryUsage {
  files: number;
  bytes: number;
}

/** What such a directory holds (`cache list`). */
export async function directoryUsage(dir: string): Promise<DirectoryUsage> {
  const files = await usedFilesIn(dir);
  return { files: files.length, bytes: files.reduce((sum, file) => sum + file.bytes, 0) };
}

/** Removes such a directory's files, or those not used for `olderThanMs` (`cache prune`). */
export async function pruneDirectory(
  dir: string,
  options: { olderThanMs?: number } = {},
): Promise<DirectoryUsage> {
  const { entries, bytes } = await removeUnused(await usedFilesIn(dir), options);
  return { files: entries, bytes };
}

/**
 * Removes the least recently used of `files` until the rest fit in `maxBytes`, sparing those
 * used at or after `spareSince` (ms since the epoch): the entries a running analysis is reading
 * stay even when they alone pass the cap. Returns the bytes left. Other processes may evict at
 * the same time: a file already gone is no error.
 */
export async function removeLeastRecentlyUsed(
  files: readonly UsedFile[],
  maxBytes: number,
  spareSince = Infinity,
): Promise<number> {
  let total = files.reduce((sum, file) => sum + file.bytes, 0);
  const oldestFirst = [...files].sort((a, b) => a.lastUsed.getTime() - b.lastUsed.getTime());
  for (const file of oldestFirst) {
    if (total <= maxBytes || file.lastUsed.getTime() >= spareSince) break;
    await rm(file.path, { force: true });
    total -= file.bytes;
  }
  return total;
}

/**
 * Removes the `files` not used for `olderThanMs` before `now` (all of them when no age is given):
 * what a `cache prune` does to each kind of entry. Returns how many and how many bytes.
 */
export async function removeUnused(
  files: readonly UsedFile[],
  options: { olderThanMs?: number | undefined; now?: number | undefined } = {},
): Promise<{ entries: number; bytes: number }> {
  const now = options.now ?? Date.now();
  const removed = { entries: 0, bytes: 0 };
  for (const file of files) {
    if (options.olderThanMs !== undefined && now - file.lastUsed.getTime() < options.olderThanMs) continue;
    await rm(file.path, { force: true, recursive: true });
    removed.entries += 1;
    removed.bytes += file.bytes;
  }
  return removed;
}
