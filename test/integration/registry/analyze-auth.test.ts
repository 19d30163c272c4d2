import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { startForwardProxy } from '../../helpers/fault-proxy.js';
import type { WrittenImage } from '../../helpers/registry-images.js';
import { describeWithRegistry, useRegistryFixture } from '../../helpers/registry-suite.js';
import { expectOneLineError, runCli } from '../../helpers/run-cli.js';
import type { TestCa } from '../../helpers/test-certificates.js';

const USER = 'carol';
const PASSWORD = 'Tr0ub4dor-and-3';

describeWithRegistry('imgscope analyze with credentials over TLS', () => {
  const fixture = useRegistryFixture({
    name: 'cli-auth',
    tls: true,
    account: { user: USER, password: PASSWORD },
  });
  let ca: TestCa;
  let image: WrittenImage;
  let ref: string;

  beforeAll(async () => {
    ca = fixture.ca!;
    image = await fixture.pushImage('img', { layers: [{ files: { 'srv/app': 'tls app' } }] }, 'secure/app:2');
    ref = `${fixture.registry.host}/secure/app:2`;
  });

  const env = (): Record<string, string> => fixture.cliEnv('cache');

  it('pulls with --username and --password-stdin and --ca-cert', async () => {
    const result = await runCli(
      ['analyze', ref, '--json', '--username', USER, '--password-stdin', '--ca-cert', ca.caCert],
      env(),
      { stdin: `${PASSWORD}\n` },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).image.digest).toBe(image.manifestDigest);
  });

  it('trusts NODE_EXTRA_CA_CERTS and reads $DOCKER_CONFIG/config.json', async () => {
    const dockerConfig = join(fixture.work, 'dc');
    await mkdir(dockerConfig, { recursive: true });
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await writeFile(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [fixture.registry.host]: { auth } } }),
    );
    const result = await runCli(['analyze', ref, '--json', '--no-cache'], {
      ...env(),
      DOCKER_CONFIG: dockerConfig,
      NODE_EXTRA_CA_CERTS: ca.caCert,
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).image.digest).toBe(image.manifestDigest);
  });

  it('reports a wrong password in one line, exit 3, and never prints it', async () => {
    const result = await runCli(
      ['analyze', ref, '--username', USER, '--password-stdin', '--ca-cert', ca.caCert, '--no-cache'],
      env(),
      { stdin: 'hunter2-wrong\n' },
    );
    expect(result.code).toBe(3);
    expect(expectOneLineError(result)).toMatch(
      new RegExp(
        `^imgscope: error: authentication failed for ${fixture.registry.host.replace(/\./g, '\\.')}: `,
      ),
    );
    expect(result.stdout + result.stderr).not.toContain('hunter2-wrong');
    expect(result.stdout + result.stderr).not.toContain(
      Buffer.from(`${USER}:hunter2-wrong`).toString('base64'),
    );
  });

  it('refuses the registry certificate without the CA, exit 3, pointing at --ca-cert', async () => {
    const result = await runCli(['analyze', ref, '--no-cache'], env());
    expect(result.code).toBe(3);
    expect(expectOneLineError(result)).toMatch(/TLS verification failed for .*--ca-cert/);
  });

  it('tunnels through HTTPS_PROXY with CONNECT, TLS still verified end to end', async () => {
    const forward = await startForwardProxy();
    try {
      const result = await runCli(
        [
          'analyze',
          ref,
          '--json',
          '--no-cache',
          '--username',
          USER,
          '--password-stdin',
          '--ca-cert',
          ca.caCert,
        ],
        { ...env(), HTTPS_PROXY: forward.url },
        { stdin: PASSWORD },
      );
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout).image.digest).toBe(image.manifestDigest);
      expect(forward.seen.length).toBeGreaterThan(0);
      expect(forward.seen.every((line) => line === `CONNECT ${fixture.registry.host}`)).toBe(true);
    } finally {
      await forward.stop();
    }
  });

  it('--insecure skips verification of a certificate nobody trusts', async () => {
    const result = await runCli(
      ['analyze', ref, '--json', '--no-cache', '--insecure', '--username', USER, '--password-stdin'],
      env(),
      { stdin: PASSWORD },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).image.digest).toBe(image.manifestDigest);
  });

  it('needs --password-stdin with --username', async () => {
    const result = await runCli(['analyze', ref, '--username', USER], env());
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toMatch(/--username needs --password-stdin/);
  });
});
