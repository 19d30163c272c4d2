/** What a blob cache holds on disk, as the tests that corrupt, cut or race downloads check it. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * The sha256 blobs of the blob cache at `root` (a CLI run's is XDG_CACHE_HOME/imgscope), by hex
 * name in directory order, none when it has none; fails the test unless each is named by the
 * sha256 of its bytes.
 */
export async function verifiedCachedBlobs(root: string): Promise<string[]> {
  const dir = join(root, 'blobs', 'sha256');
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const hex = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
    expect(hex).toBe(name);
  }
  return names;
}
