/**
 * The file conventions every kind of entry in imgscope's cache follows: an entry is written to
 * `ROOT/tmp/NAME.PID.RANDOM.partial` (0600) and renamed into place only when whole, so a reader
 * never sees half an entry and concurrent processes need no lock (the last rename wins, and
 * both wrote the same content); a temporary file whose process has died is removed by the next
 * run that sweeps `tmp/`, or by `cache prune`.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, makePrivateDir, makePrivateFile } from '../private-files.js';

/** A fresh temporary path in `ROOT/tmp/` for an entry named `name`, marked with this process's id. */
export function temporaryPath(root: string, name: string): string {
  return join(root, 'tmp', `${name}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
}

/** The process id a temporary file's name carries (NaN when the name has none). */
export function temporaryOwner(name: string): number {
  return Number(name.split('.')[1]);
}

/**
 * Writes `bytes` (or pieces of it, written end to end) as the entry `finalPath` (private),
 * through a temporary file renamed into place. Throws when it cannot (a full or read-only disk), after removing the temporary file:
 * whatever happens, `finalPath` is either absent, as it was, or whole.
 */
export async function writeEntry(
  root: string,
  name: string,
  finalPath: string,
  bytes: Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const tmpPath = temporaryPath(root, name);
  try {
    await makePrivateDir(join(root, 'tmp'));
    await writeFile(tmpPath, bytes, { mode: PRIVATE_FILE_MODE });
    await makePrivateFile(tmpPath);
    await makePrivateDir(join(finalPath, '..'));
    await rename(tmpPath, finalPath);
  } catch (error) {
    await rm(tmpPath, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Removes the temporary files of processes that died mid-write (killed, say). */
export async function sweepOrphans(root: string): Promise<void> {
  const tmpDir = join(root, 'tmp');
  for (const name of await listDir(tmpDir)) {
    const pid = temporaryOwner(name);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      await rm(join(tmpDir, name), { force: true }).catch(() => undefined);
    }
  }
}

/** The names in a directory; none when it does not exist (or cannot be read). */
export async function listDir(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

/** Whether process `pid` is running (as another user too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
