import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listDir } from './cache-files.js';
import { CODE_CACHE_DIR } from './cache-root.js';

/** Files and bytes of the start's compiled code (only a speed-up: every file may go). */
export interface CodeCacheUsage {
  files: number;
  bytes: number;
}

async function codeCacheFiles(root: string): Promise<{ path: string; bytes: number; modified: number }[]> {
  const dir = join(root, CODE_CACHE_DIR);
  const files = await Promise.all(
    (await listDir(dir)).map(async (name) => {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      return info?.isFile() === true ? { path, bytes: info.size, modified: info.mtimeMs } : null;
    }),
  );
  return files.filter((file) => file !== null);
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
  const now = Date.now();
  const removed: CodeCacheUsage = { files: 0, bytes: 0 };
  for (const file of await codeCacheFiles(root)) {
    // As the other kinds' prune: kept when younger than the age asked for.
    if (options.olderThanMs !== undefined && now - file.modified < options.olderThanMs) continue;
    await rm(file.path, { force: true });
    removed.files += 1;
    removed.bytes += file.bytes;
  }
  return removed;
}
