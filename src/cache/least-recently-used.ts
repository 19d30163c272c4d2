import { rm } from 'node:fs/promises';

/** A cache entry as eviction sees it: its file, its size, and when a run last used it (mtime). */
export interface UsedFile {
  path: string;
  bytes: number;
  lastUsed: Date;
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
