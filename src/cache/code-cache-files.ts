import { join } from 'node:path';
import { CODE_CACHE_DIR } from './cache-root.js';
import { directoryUsage, pruneDirectory, type DirectoryUsage } from './least-recently-used.js';

/** Files and bytes of the start's compiled code (only a speed-up: every file may go). */
export function codeCacheUsage(root: string): Promise<DirectoryUsage> {
  return directoryUsage(join(root, CODE_CACHE_DIR));
}

/** Removes the compiled code, or what was not written for `olderThanMs` (a file is rewritten when stale). */
export function pruneCodeCache(
  root: string,
  options: { olderThanMs?: number } = {},
): Promise<DirectoryUsage> {
  return pruneDirectory(join(root, CODE_CACHE_DIR), options);
}
