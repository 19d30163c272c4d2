import { execFileSync } from 'node:child_process';
import { openSync, closeSync, readSync, writeSync, truncateSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from './temp.js';

/** A private copy of a fixture to break on purpose (removed by cleanupTempDirs). */
export async function copyFixture(source: string, name: string): Promise<string> {
  const target = join(await tempDir(), name);
  await copyFile(source, target);
  return target;
}

/** Byte offset and size of a member's data in a tar file, from GNU tar's block numbers. */
export function memberData(archive: string, member: string): { offset: number; size: number } {
  const listing = execFileSync('tar', ['-tvRf', archive], { encoding: 'utf8' });
  for (const line of listing.split('\n')) {
    const match = /^block (\d+): \S+ \S+\s+(\d+) \S+ \S+ (.*)$/.exec(line);
    if (match && match[3] === member) return { offset: (Number(match[1]) + 1) * 512, size: Number(match[2]) };
  }
  throw new Error(`${member} not in ${archive}`);
}

/** Inverts the bits of one byte. */
export function flipByte(file: string, offset: number): void {
  const fd = openSync(file, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, offset);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    writeSync(fd, byte, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

export function cutFile(file: string, length: number): void {
  truncateSync(file, length);
}
