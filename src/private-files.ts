/**
 * Files only their owner may read: imgscope's caches hold the layers of private images, so
 * every directory it makes for them is 0700 and every file 0600, whatever the umask, and an
 * existing tree left wider (an older imgscope, a copy, umask 022) is tightened before use.
 * One place for this, so that every cache and report directory gets the same treatment.
 */
import { statSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Permission bits that let anyone but the owner in. */
const OTHERS = 0o077;

/** Creates `dir` and its missing parents 0700 (exactly: the umask cannot loosen or tighten it). */
export async function makePrivateDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // mkdir returns the topmost directory it created: set every one from there down exactly.
  for (let path = dir; ; path = join(path, '..')) {
    await chmod(path, PRIVATE_DIR_MODE);
    if (path === first || path === join(path, '..')) break;
  }
}

/** Sets a file imgscope just wrote to 0600 (its creation mode went through the umask). */
export async function makePrivateFile(path: string): Promise<void> {
  await chmod(path, PRIVATE_FILE_MODE);
}

/** What tightening an existing tree found: null when it is private now (or does not exist). */
export interface LooseTree {
  path: string;
  /** The root's permission bits before, e.g. 0o755. */
  mode: number;
  /** One line for stderr: which path, and what to run. */
  warning: string;
}

/**
 * Makes an existing tree private: when its root lets others in, every directory under it
 * becomes 0700 and every file 0600 (a root that is already private keeps the rest out, so
 * a private root is trusted without walking it). Symbolic links under the root are left alone.
 * Returns what could not be tightened (another user's files, a read-only disk), else null.
 */
export async function tightenPrivateTree(root: string): Promise<LooseTree | null> {
  let mode: number;
  try {
    // Synchronous: the one call most runs make here, not worth a round trip through libuv's pool.
    const info = statSync(root);
    if (!info.isDirectory()) return null;
    mode = info.mode & 0o777;
  } catch {
    return null;
  }
  if ((mode & OTHERS) === 0) return null;
  try {
    await tightenEntries(root);
    await chmod(root, PRIVATE_DIR_MODE);
    return null;
  } catch {
    const octal = mode.toString(8).padStart(4, '0');
    return {
      path: root,
      mode,
      warning: `${root} can be read by other users (mode ${octal}) and imgscope could not make it private; run: chmod -R go-rwx ${shellQuote(root)}`,
    };
  }
}

async function tightenEntries(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await tightenEntries(path);
      await chmod(path, PRIVATE_DIR_MODE);
    } else if (entry.isFile()) {
      const info = await lstat(path);
      if ((info.mode & 0o777) !== PRIVATE_FILE_MODE) await chmod(path, PRIVATE_FILE_MODE);
    }
  }
}

/** Quotes a path for a POSIX shell, so the command in the warning can be pasted as is. */
function shellQuote(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}
