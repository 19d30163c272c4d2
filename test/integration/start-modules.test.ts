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
});
