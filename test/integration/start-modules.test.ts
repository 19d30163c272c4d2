import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIVE_FIXTURES, runCli } from '../helpers/run-cli.js';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';

afterAll(cleanupTempDirs);

/**
 * The Node modules a run of the built CLI loaded, and the files it required, from a preload that
 * lists them at exit; the run ends with `exitCode`, its stdout to `stdoutFile` where one is named,
 * with `env` (a cache to share with an earlier run).
 */
async function modulesLoaded(
  args: string[],
  exitCode = 0,
  stdoutFile?: string,
  env: Record<string, string> = {},
): Promise<{ modules: string[]; files: string[] }> {
  const dir = await tempDir();
  const preload = join(dir, 'list-modules.cjs');
  const list = join(dir, 'modules.json');
  await writeFile(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify({ modules: process.moduleLoadList, files: Object.keys(require.cache) })));`,
  );
  const result = await runCli(
    args,
    { ...env, NODE_OPTIONS: `--require ${preload}` },
    stdoutFile === undefined ? {} : { stdoutFile },
  );
  expect(result.code).toBe(exitCode);
  return JSON.parse(await readFile(list, 'utf8')) as { modules: string[]; files: string[] };
}

/** The scripts of dist/own-commands/lazy/ (scripts/bundle-commands.js) a run loaded. */
const lazyScripts = (files: string[]): string[] =>
  files.filter((file) => file.includes('/own-commands/lazy/')).map((file) => file.replace(/.*\//, ''));

describe('what a start loads', () => {
  it('analyze of a small image loads neither worker_threads (no worker starts) nor child_process', async () => {
    for (const format of ['json', 'table']) {
      const { modules } = await modulesLoaded([
        'analyze',
        `${DIVE_FIXTURES}test-docker-image.tar`,
        '--format',
        format,
      ]);
      expect(modules).toContain('NativeModule crypto');
      expect(modules).not.toContain('NativeModule worker_threads');
      expect(modules).not.toContain('NativeModule child_process');
    }
  });

  it('analyze of a small image analyzed before loads no node:crypto, zlib or stream: nothing is hashed, decompressed or streamed', async () => {
    // The fixture was checked out long before: the first run records its digests (known-files.ts)
    // and stores its layers' results; the second finds both and verifies nothing by hashing.
    const dir = await tempDir();
    const home = join(dir, 'home');
    const env = { HOME: home, XDG_CACHE_HOME: join(home, '.cache') };
    for (const format of ['json', 'table']) {
      const args = ['analyze', `${DIVE_FIXTURES}test-docker-image.tar`, '--format', format];
      expect((await runCli(args, env)).code).toBe(0);
      // The report to a file and to /dev/null: written without process.stdout's stream.
      for (const output of [join(dir, `report-${format}`), '/dev/null']) {
        const { modules } = await modulesLoaded(args, 0, output, env);
        expect(modules).not.toContain('NativeModule crypto');
        // Nor node:perf_hooks (the `performance` global), ~3 ms of a start on Node 20.
        expect(modules).not.toContain('NativeModule perf_hooks');
        // Nor node:zlib (a CRC-32 checks the stored results) nor Node's streams (~3 ms).
        expect(modules).not.toContain('NativeModule zlib');
        expect(modules).not.toContain('NativeModule stream');
        expect(modules).not.toContain('NativeModule internal/streams/readable');
      }
      expect(await readFile(join(dir, `report-${format}`), 'utf8')).toContain('75ae28b8ebf8');
    }
  });

  it('analyze of a small image, stderr a pipe, never makes process.stderr (no socket, no node:net)', async () => {
    // stderr through a pipe, as CI runners take it, where a stream made for it would be a socket;
    // stdout to a file, whose stream needs no socket.
    for (const format of ['json', 'table']) {
      const output = join(await tempDir(), 'output');
      const { modules } = await modulesLoaded(
        ['analyze', `${DIVE_FIXTURES}test-docker-image.tar`, '--format', format],
        0,
        output,
      );
      expect(modules).not.toContain('NativeModule net');
      expect(modules).not.toContain('NativeModule tty');
      expect(await readFile(output, 'utf8')).toContain('sha256:75ae28b8ebf8');
    }
  });

  it('starts from bin/run.js as CommonJS, with no ES module on the way to an own command', async () => {
    // bin/package.json makes bin/run.js CommonJS: as an ES module it took Node 20 about 4 ms more
    // (its ES module loader: a score of Node's modules), which the small image's run notices.
    const { modules, files } = await modulesLoaded([
      'analyze',
      `${DIVE_FIXTURES}test-docker-image.tar`,
      '--json',
    ]);
    // Only CommonJS modules are in require.cache.
    expect(files.filter((file) => file.endsWith('/bin/run.js'))).toHaveLength(1);
    expect(modules).not.toContain('NativeModule internal/modules/esm/initialize_import_meta');
  });

  it('analyze loads the scripts of the packages it rarely uses only for what uses them', async () => {
    const image = `${DIVE_FIXTURES}test-docker-image.tar`;
    for (const format of ['json', 'table']) {
      const { files } = await modulesLoaded(['analyze', image, '--format', format]);
      expect(lazyScripts(files)).toEqual([]);
    }
    // The gate's ignored paths are picomatch's (the image fails dive's default rules: exit 1).
    const gated = await modulesLoaded(['analyze', image, '--ci', '--ignore-path', '/root/**', '--json'], 1);
    expect(lazyScripts(gated.files)).toEqual(['picomatch.cjs']);
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
        // imgscope's calls, not those of Node's ES module loader (oclif's full start imports).
        "  if (typeof f === 'function') promises[name] = function (...args) { if (new Error().stack.includes('/dist/')) calls.push(name); return f.apply(this, args); };",
        '}',
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, calls.join('\\n')));`,
      ].join('\n'),
    );
    const home = join(dir, 'home');
    const env = { HOME: home, XDG_CACHE_HOME: join(home, '.cache'), NODE_OPTIONS: `--require ${preload}` };
    // The archive, and the same image extracted (an image directory: its members stat'ed too).
    const extracted = join(dir, 'extracted');
    await mkdir(extracted);
    execFileSync('tar', ['-xf', `${DIVE_FIXTURES}test-docker-image.tar`, '-C', extracted]);
    for (const image of [`${DIVE_FIXTURES}test-docker-image.tar`, extracted]) {
      const args = ['analyze', image, '--format', 'json'];
      // The first run reads the layers and stores their results (asynchronously: large ones may be
      // large); the second takes them from the cache.
      expect((await runCli(args, env)).code).toBe(0);
      expect((await runCli(args, env)).code).toBe(0);
      expect(await readFile(list, 'utf8')).toBe('');
    }
  });
});
