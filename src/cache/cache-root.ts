import { homedir } from 'node:os';
import { join } from 'node:path';

/** $XDG_CACHE_HOME/imgscope, or ~/.cache/imgscope. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'imgscope');
}

/** The folder of the cache root holding V8's compiled code of the start (src/cli/code-cache.ts). */
export const CODE_CACHE_DIR = 'code-cache';

/** The folder of the cache root holding the digests of local files' regions (known-files.ts). */
export const KNOWN_FILES_DIR = 'known-files';
