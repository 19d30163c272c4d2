/**
 * The project's Dockerfile, built with buildah on a base made from this host's Node (no base
 * image can be pulled here), then `imgscope analyze` run inside it as its unprivileged user.
 * The build installs the runtime dependencies with npm, so it needs the npm registry.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostLacks, onPath } from '../../helpers/host-features.js';
import { buildah, buildNodeBase } from '../../helpers/node-rootfs.js';
import { FIXTURES, PROJECT_ROOT, runCli } from '../../helpers/run-cli.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

const noBuildah = hostLacks('buildah', onPath('buildah') && onPath('ldd'));

describe.skipIf(noBuildah)('the Dockerfile, built with buildah and run', () => {
  afterAll(cleanupTempDirs);

  it('builds on a local Node base and analyzes an image inside the container as uid 10001', async () => {
    const work = await tempDir('imgscope-dockerfile-');
    const storage = await tempDir('imgscope-buildah-');
    await buildNodeBase(work, storage, 'localhost/imgscope-test-node:20');
    const caBundle = process.env['NODE_EXTRA_CA_CERTS'];
    await buildah(
      storage,
      [
        'build',
        '--quiet',
        '--build-arg',
        'BASE=localhost/imgscope-test-node:20',
        // A TLS-intercepting proxy's CA, where the host has one: the base holds the host's /etc/ssl/certs.
        ...(caBundle?.startsWith('/etc/ssl/certs/') === true
          ? ['--build-arg', `NODE_EXTRA_CA_CERTS=${caBundle}`]
          : []),
        '-t',
        'localhost/imgscope:test',
        '.',
      ],
      PROJECT_ROOT,
    );
    const container = (await buildah(storage, ['from', 'localhost/imgscope:test'])).trim();
    const inside = await buildah(storage, [
      'run',
      '--isolation',
      'chroot',
      '-v',
      `${join(FIXTURES)}:/fixtures:ro`,
      container,
      '--',
      'sh',
      '-c',
      'node -p "process.getuid()" && node /opt/imgscope/bin/run.js analyze /fixtures/example.tar --json',
    ]);
    const newline = inside.indexOf('\n');
    expect(inside.slice(0, newline)).toBe('10001');
    const json = inside.slice(newline + 1);
    const host = await runCli(['analyze', join(FIXTURES, 'example.tar'), '--json']);
    const fields = (text: string): unknown => {
      const report = JSON.parse(text) as { efficiency: unknown; summary: unknown };
      return { efficiency: report.efficiency, summary: report.summary };
    };
    expect(host.code).toBe(0);
    expect(fields(json)).toEqual(fields(host.stdout));
    await buildah(storage, ['rm', container]);
  }, 600_000);
});
