import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIVE_FIXTURES, runCli } from '../helpers/run-cli.js';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';

afterAll(cleanupTempDirs);

/** The Node modules a run of the built CLI loaded, from a preload that lists them at exit. */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const dir = await tempDir();
  const preload = join(dir, 'list-modules.cjs');
  const list = join(dir, 'modules.txt');
  await writeFile(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));`,
  );
  const result = await runCli(args, { NODE_OPTIONS: `--require ${preload}` });
  expect(result.code).toBe(0);
  return (await readFile(list, 'utf8')).split('\n');
}

describe('what a start loads', () => {
  it('analyze of a small image loads neither worker_threads (no worker starts) nor child_process', async () => {
    for (const format of ['json', 'table']) {
      const loaded = await modulesLoaded([
        'analyze',
        `${DIVE_FIXTURES}test-docker-image.tar`,
        '--format',
        format,
      ]);
      expect(loaded).toContain('NativeModule crypto');
      expect(loaded).not.toContain('NativeModule worker_threads');
      expect(loaded).not.toContain('NativeModule child_process');
    }
  });

  it('analyze of a small image with its layer results cached makes no call through fs/promises', async () => {
    // Each such call is a round trip through libuv's thread pool, which a small image's run
    // would start for it alone: the files of such a run are read with synchronous calls.
    const dir = await tempDir();
    const preload = join(dir, 'list-calls.cjs');
    const list = join(dir, 'calls.txt');
    await writeFile(
      preload,
      [
        "const promises = require('node:fs/promises');",
        'const calls = [];',
        'for (const [name, f] of Object.entries(promises)) {',
        // imgscope's calls (Node 20's module loader reads bin/run.js and launch.js through it).
        "  if (typeof f === 'function') promises[name] = function (...args) { if (new Error().stack.includes('/dist/')) calls.push(name); return f.apply(this, args); };",
        '}',
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, calls.join('\\n')));`,
      ].join('\n'),
    );
    const home = join(dir, 'home');
    const env = { HOME: home, XDG_CACHE_HOME: join(home, '.cache'), NODE_OPTIONS: `--require ${preload}` };
    const args = ['analyze', `${DIVE_FIXTURES}test-docker-image.tar`, '--format', 'json'];
    // The first run reads the layers and stores their results (asynchronously: large ones may be
    // large); the second takes them from the cache.
    expect((await runCli(args, env)).code).toBe(0);
    expect((await runCli(args, env)).code).toBe(0);
    expect(await readFile(list, 'utf8')).toBe('');
  });
});
