import { join } from 'node:path';
import { CODE_CACHE_DIR } from './cache-root.js';
import { removeUnused, usedFilesIn, type UsedFile } from './least-recently-used.js';

/** Files and bytes of the start's compiled code (only a speed-up: every file may go). */
export interface CodeCacheUsage {
  files: number;
  bytes: number;
}

/** The compiled-code files, each last used when it was last written (a run rewrites a stale one). */
async function codeCacheFiles(root: string): Promise<UsedFile[]> {
  return usedFilesIn(join(root, CODE_CACHE_DIR));
}

export async function codeCacheUsage(root: string): Promise<CodeCacheUsage> {
  const files = await codeCacheFiles(root);
  return { files: files.length, bytes: files.reduce((sum, file) => sum + file.bytes, 0) };
}

/** Removes the compiled code, or what was not written for `olderThanMs` (a file is rewritten when stale). */
export async function pruneCodeCache(
  root: string,
  options: { olderThanMs?: number } = {},
): Promise<CodeCacheUsage> {
  const { entries, bytes } = await removeUnused(await codeCacheFiles(root), options);
  return { files: entries, bytes };
}
