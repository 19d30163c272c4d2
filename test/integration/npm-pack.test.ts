// The README's install from a tarball, as a user does it: `npm pack` (which builds on prepack),
// `npm install -g` of the tarball into an empty prefix, then the installed `imgscope` on the
// bundled example. Packing happens in a copy of the sources, so the build it runs never rewrites
// the dist/ other tests are running.
import { execFile } from 'node:child_process';
import { cp, readdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

const run = promisify(execFile);
const SOURCES = [
  'package.json',
  'tsconfig.json',
  'tsconfig.web.json',
  'README.md',
  'bin',
  'src',
  'schema',
  'scripts',
];

/** The environment of a user's shell: none of the npm_* variables `npm test` sets for its script. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', NODE_ENV: 'production', DEBUG: '' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') || key.toLowerCase() === 'npm_config_cache') env[key] ??= value;
  }
  // The node running the tests is the node the installed bin's `#!/usr/bin/env node` finds.
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  return env;
}

describe('npm pack: the tarball installs and runs', () => {
  let prefix: string;
  let packed: string[];

  beforeAll(async () => {
    const work = await tempDir('imgscope-pack-');
    const checkout = join(work, 'imgscope');
    for (const name of SOURCES) await cp(join(PROJECT_ROOT, name), join(checkout, name), { recursive: true });
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(checkout, 'node_modules'));
    const env = userEnv();
    const pack = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: checkout, env });
    const [result] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    if (result === undefined) throw new Error(`npm pack printed no result: ${pack.stdout}`);
    packed = result.files.map((file) => file.path);
    prefix = join(work, 'prefix');
    // The dependencies come from npm's cache where it has them (npm ci filled it), else the registry.
    await run(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(work, result.filename),
      ],
      { cwd: work, env },
    );
  }, 600_000);

  afterAll(cleanupTempDirs);

  it('packs the built CLI, its schema and README, and no sources or tests', () => {
    expect(packed).toContain('bin/run.js');
    // What makes bin/run.js CommonJS, which Node 20 starts sooner than an ES module.
    expect(packed).toContain('bin/package.json');
    expect(packed).toContain('dist/commands/analyze.js');
    expect(packed).toContain('schema/imgscope-config.schema.json');
    expect(packed).toContain('README.md');
    // The zstd decoder of Node 20 and 22, with zstd's license.
    expect(packed).toContain('dist/layers/zstd-wasm/zstd-decompress.wasm');
    expect(packed).toContain('dist/layers/zstd-wasm/LICENSE');
    // The small file bodies' Poly1305, without its C source.
    expect(packed).toContain('dist/layers/poly1305-wasm/poly1305.wasm');
    expect(packed.filter((path) => path.endsWith('.c'))).toEqual([]);
    expect(packed.filter((path) => /^(src|test|bench|fixtures)\//.test(path))).toEqual([]);
  });

  it('installs an imgscope command that analyzes the bundled example', async () => {
    expect(await readdir(join(prefix, 'bin'))).toEqual(['imgscope']);
    const env = userEnv();
    const options = { cwd: PROJECT_ROOT, env };
    const table = await run(join(prefix, 'bin', 'imgscope'), ['analyze', 'fixtures/example.tar'], options);
    expect(table.stdout).toContain('Efficiency   │ 84.33 %');
    const json = await run(
      join(prefix, 'bin', 'imgscope'),
      ['analyze', 'fixtures/example.tar', '--json'],
      options,
    );
    const report = JSON.parse(json.stdout) as {
      image: { sizeBytes: number; layerCount: number };
      efficiency: { score: number; wastedBytes: number; reclaimableBytes: number };
    };
    expect(report.image).toMatchObject({ sizeBytes: 174617, layerCount: 8 });
    expect(report.efficiency).toMatchObject({
      score: 0.8432626834729723,
      wastedBytes: 35993,
      reclaimableBytes: 25921,
    });
  });

  it('installs an imgscope command that decodes zstd layers', async () => {
    const json = await run(
      join(prefix, 'bin', 'imgscope'),
      ['analyze', 'fixtures/dive/test-oci-zstd-image.tar', '--json', '--no-cache'],
      { cwd: PROJECT_ROOT, env: userEnv() },
    );
    const report = JSON.parse(json.stdout) as {
      image: { sizeBytes: number; compressedSizeBytes: number; layerCount: number };
      layers: { fileCount: number }[];
    };
    expect(report.image).toMatchObject({ sizeBytes: 11189, compressedSizeBytes: 4314, layerCount: 1 });
    expect(report.layers.map((layer) => layer.fileCount)).toEqual([1]);
  });
});
