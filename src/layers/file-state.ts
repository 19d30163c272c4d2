import { statSync, type BigIntStats } from 'node:fs';

/**
 * What says a file still holds the bytes once read from it: the same file (device and inode),
 * the same size, and no write since (the change time moves with every write and cannot be set
 * back by a user; the modification time is checked too).
 */
export interface FileState {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** The state of the file at `path` now; null where it cannot be read (the read then says why). */
export function fileState(path: string): FileState | null {
  try {
    return stateOf(statSync(path, { bigint: true }));
  } catch {
    return null;
  }
}

export function stateOf(stats: BigIntStats): FileState {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
}

export function sameState(a: FileState, b: FileState): boolean {
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs
  );
}
