import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localArchiveBytes } from '../../../src/sources/index.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

describe('localArchiveBytes', () => {
  it("is the size of the archive file a transport's path or a bare path names, and null for anything else", async () => {
    const dir = await tempDir();
    const archive = join(dir, 'image.tar');
    await writeFile(archive, Buffer.alloc(3000));
    await mkdir(join(dir, 'layout'));
    expect(
      [
        `docker-archive:${archive}`,
        `oci-archive:${archive}`,
        archive,
        `oci:${join(dir, 'layout')}`,
        join(dir, 'layout'),
        join(dir, 'missing.tar'),
        `${archive}/under-a-file`,
        'nginx:1.17',
        'docker-daemon:nginx:1.17',
      ].map(localArchiveBytes),
    ).toEqual([3000, 3000, 3000, null, null, null, null, null, null]);
  });
});
