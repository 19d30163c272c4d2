import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, fixturesCwd, runCli } from '../../helpers/run-cli.js';
import { cleanupTempDirs } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

describe('imgscope audit on local images and bad usage', () => {
  it('audits local archives, with the shared base and the gate in the summary', async () => {
    const cwd = await fixturesCwd();
    const result = await runCli(
      ['audit', 'fixtures/example.tar', 'fixtures/example-optimized.tar', '--out', 'out', '--json', '--ci'],
      {},
      { cwd },
    );
    const summary = JSON.parse(result.stdout);
    expect(summary.images).toEqual({ total: 2, ok: 2, failed: 0 });
    expect(summary.gate).not.toBeNull();
    expect(result.code).toBe(summary.gate.failed.length > 0 ? 1 : 0);
    const lines = (await readFile(join(cwd, 'out', 'results.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).reference).sort()).toEqual([
      'fixtures/example-optimized.tar',
      'fixtures/example.tar',
    ]);
  });

  it('counts the layers it reads: a shared layer once, none whose result an earlier run stored', async () => {
    const cwd = await fixturesCwd();
    const cache = { XDG_CACHE_HOME: join(cwd, 'shared-cache') };
    const images = [
      'fixtures/example.tar',
      'fixtures/example-optimized.tar',
      'fixtures/dive/test-docker-image.tar',
    ];
    const first = await runCli(['audit', ...images, '--out', 'first', '--json'], cache, { cwd });
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as { sharedLayers: { images: number }[] };
    // 8 + 6 + 14 layers held; each layer two images share is read for the first of them only.
    const held = 28;
    const shared = summary.sharedLayers.reduce((sum, layer) => sum + layer.images - 1, 0);
    expect(shared).toBe(2);
    expect(first.stderr).toContain(
      `audited 3 images (3 analyzed, 0 already done, 0 failed); ${held - shared} layer reads for ${held} layers;`,
    );
    // Another results directory, the same cache: every layer's result is stored, none is read.
    const again = await runCli(['audit', images[0]!, '--out', 'again'], cache, { cwd });
    expect(again.stderr).toContain(
      'audited 1 image (1 analyzed, 0 already done, 0 failed); 0 layer reads for 8 layers;',
    );
  });

  it('reports a missing image for that image and goes on (exit 2)', async () => {
    const cwd = await fixturesCwd();
    const result = await runCli(
      ['audit', 'fixtures/example.tar', './missing.tar', '--out', 'out', '--json'],
      {},
      { cwd },
    );
    expect(result.code).toBe(2);
    const summary = JSON.parse(result.stdout);
    expect(summary.images).toEqual({ total: 2, ok: 1, failed: 1 });
    expect(summary.failures).toEqual([
      {
        reference: './missing.tar',
        code: 'INPUT_NOT_FOUND',
        exitCode: 2,
        message: './missing.tar: no such file or directory',
      },
    ]);
  });

  it('skips a torn last line left by a killed run and writes on after it', async () => {
    const cwd = await fixturesCwd();
    const first = await runCli(['audit', 'fixtures/example.tar', '--out', 'out'], {}, { cwd });
    expect(first.code).toBe(0);
    const file = join(cwd, 'out', 'results.jsonl');
    const whole = await readFile(file, 'utf8');
    await writeFile(file, whole + whole.slice(0, 30));
    const second = await runCli(
      ['audit', 'fixtures/example.tar', 'fixtures/example-optimized.tar', '--out', 'out'],
      {},
      { cwd },
    );
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/audited 2 images \(1 analyzed, 1 already done, 0 failed\)/);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((line) => JSON.parse(line).reference)).toEqual([
      'fixtures/example.tar',
      'fixtures/example-optimized.tar',
    ]);
  });

  it('refuses --username for images on more than one registry (exit 2)', async () => {
    const result = await runCli(
      ['audit', 'a.example/x:1', 'b.example/y:1', '--username', 'u', '--password-stdin', '--out', 'o'],
      {},
      { stdin: 'secret\n' },
    );
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(
      'imgscope: error: --username applies to one registry; these images are on 2 (put the credentials of each registry in a Docker config.json (DOCKER_CONFIG) instead)',
    );
  });

  it.each([
    [['audit', '--out', 'o'], 'imgscope: error: nothing to audit: name images, -f FILE, or --catalog HOST'],
    [
      ['audit', 'x.tar', '--out', 'o', '--shard', '4/4'],
      'imgscope: error: --shard "4/4" must be INDEX/COUNT with 0 <= INDEX < COUNT (in an Indexed Job: --shard $(JOB_COMPLETION_INDEX)/COMPLETIONS)',
    ],
    [
      ['audit', 'reg.example/app', '--out', 'o', '--tags', 'newest'],
      'imgscope: error: --tags "newest" is not a semver range',
    ],
    [
      ['audit', 'reg.example/app', '--out', 'o', '--variant', 'alpine'],
      'imgscope: error: --variant needs --tags',
    ],
    [['audit', '-f', 'missing.txt', '--out', 'o'], 'imgscope: error: missing.txt: no such file'],
    [['audit', 'merge', 'nowhere'], 'imgscope: error: nowhere: no such directory'],
    [['audit', 'x.tar'], 'imgscope: error: Missing required flag out (see imgscope audit --help)'],
  ])('imgscope %j: one line, exit 2', async (args, line) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(line);
  });
});
