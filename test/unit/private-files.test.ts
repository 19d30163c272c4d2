import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makePrivateDir, tightenPrivateTree } from '../../src/private-files.js';
import { BlobCache } from '../../src/registry/blob-cache.js';
import { fileModes } from '../helpers/file-modes.js';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';

const run = promisify(execFile);
const digest = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The modes of a private cache holding one layer and one config, plus `extra` paths. */
function privateCache(
  layer: string,
  config: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    '.': '700',
    blobs: '700',
    'blobs/sha256': '700',
    [`blobs/sha256/${layer}`]: '600',
    [`blobs/sha256/${config}`]: '600',
    tmp: '700',
    ...extra,
  };
}

async function fillCache(cache: BlobCache): Promise<{ layer: string; config: string }> {
  const layer = Buffer.from('layer bytes '.repeat(500));
  const config = Buffer.from('{"config":true}');
  const tee = await cache.tee(Readable.from([layer]), digest(layer), layer.length);
  for await (const chunk of tee) void chunk;
  await cache.put(digest(config), config);
  return { layer: digest(layer).slice(7), config: digest(config).slice(7) };
}

describe('private cache files', () => {
  const umask = process.umask();
  afterEach(() => {
    process.umask(umask);
  });
  afterAll(cleanupTempDirs);

  it.each(['022', '002', '000'])(
    'a cache created under umask %s is 0700 directories and 0600 files',
    async (mask) => {
      process.umask(parseInt(mask, 8));
      const root = join(await tempDir(), 'home', '.cache', 'imgscope');
      const { layer, config } = await fillCache(new BlobCache(root));
      expect(await fileModes(root)).toEqual(privateCache(layer, config));
    },
  );

  it('creates the missing parents 0700 too, and leaves existing ones alone', async () => {
    process.umask(0o022);
    const base = await tempDir();
    await chmod(base, 0o755);
    await makePrivateDir(join(base, 'a', 'b', 'c'));
    expect(await fileModes(base)).toEqual({ '.': '755', a: '700', 'a/b': '700', 'a/b/c': '700' });
  });

  it('tightens a pre-existing 0755/0644 cache on first use, with no warning', async () => {
    process.umask(0o022);
    const root = join(await tempDir(), 'imgscope');
    const { layer, config } = await fillCache(new BlobCache(root));
    for (const dir of ['.', 'blobs', 'blobs/sha256', 'tmp']) await chmod(join(root, dir), 0o755);
    for (const file of [layer, config]) await chmod(join(root, 'blobs', 'sha256', file), 0o644);
    await writeFile(join(root, 'tmp', 'left.1.x.partial'), 'x', { mode: 0o666 });
    await chmod(join(root, 'tmp', 'left.1.x.partial'), 0o666);

    const warnings: string[] = [];
    const cache = new BlobCache(root, { onWarning: (line) => warnings.push(line) });
    expect(await cache.lookup(`sha256:${config}`, 15)).not.toBeNull();
    expect(await fileModes(root)).toEqual(privateCache(layer, config, { 'tmp/left.1.x.partial': '600' }));
    expect(warnings).toEqual([]);
  });

  it('trusts a private root without walking it, and ignores a cache that does not exist', async () => {
    const root = await tempDir();
    await chmod(root, 0o700);
    await mkdir(join(root, 'inner'), { mode: 0o755 });
    await chmod(join(root, 'inner'), 0o755);
    expect(await tightenPrivateTree(root)).toBeNull();
    expect((await fileModes(root)).inner).toBe('755');
    expect(await tightenPrivateTree(join(root, 'absent'))).toBeNull();
  });

  it.skipIf(process.getuid?.() !== 0)(
    "warns, naming the path and the command, when the cache is another user's and cannot be tightened",
    async () => {
      // Run as "nobody" against a root-owned 0755 cache: chmod fails with EPERM.
      const base = await tempDir();
      await chmod(base, 0o755);
      const root = join(base, "it's cache");
      await mkdir(join(root, 'blobs'), { recursive: true, mode: 0o755 });
      await chmod(root, 0o755);
      const script = `import('${join(process.cwd(), 'dist', 'private-files.js')}').then(async (m) => console.log(JSON.stringify(await m.tightenPrivateTree(process.argv[1]))))`;
      const { stdout } = await run('setpriv', [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '-e',
        script,
        root,
      ]);
      expect(JSON.parse(stdout)).toEqual({
        path: root,
        mode: 0o755,
        warning: `${root} can be read by other users (mode 0755) and imgscope could not make it private; run: chmod -R go-rwx '${base}/it'\\''s cache'`,
      });
      expect((await fileModes(root))['.']).toBe('755');
    },
  );
});
