// Temporary directories for tests and generators, removed by cleanupTempDirs(): a test file
// calls it from afterAll, since vitest's worker processes end without an 'exit' event. The exit
// hook removes a script's (bench/, a generator's) when it exits.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = new Set<string>();
let exitHook = false;

export async function tempDir(prefix = 'imgscope-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export async function cleanupTempDirs(): Promise<void> {
  const all = [...dirs];
  dirs.clear();
  await Promise.all(all.map((d) => rm(d, { recursive: true, force: true })));
}
