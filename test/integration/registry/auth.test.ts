import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { AuthError, NetworkError } from '../../../src/errors.js';
import type { WrittenImage } from '../../helpers/registry-images.js';
import { registrySource } from '../../helpers/registry-source.js';
import { readAll } from '../../helpers/stream-bytes.js';
import { describeWithRegistry, useRegistryFixture } from '../../helpers/registry-suite.js';
import type { TestCa } from '../../helpers/test-certificates.js';
import type { TokenIssuer } from '../../helpers/token-issuer.js';

const USER = 'alice';
const PASSWORD = 's3cret-Pa55word';

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e as Error,
  );
  return error;
}

describeWithRegistry('htpasswd Basic auth over TLS with a test CA', () => {
  const fixture = useRegistryFixture({
    name: 'basic',
    tls: true,
    account: { user: USER, password: PASSWORD },
  });
  let ca: TestCa;
  let image: WrittenImage;

  beforeAll(async () => {
    ca = fixture.ca!;
    image = await fixture.pushImage('img', { layers: [{ files: { f: 'basic' } }] }, 'private/app:1');
  });

  it('pulls with --username/--password and --ca-cert', async () => {
    const src = registrySource(`${fixture.registry.host}/private/app:1`, {
      credentials: { username: USER, password: PASSWORD },
      caCertFiles: [ca.caCert],
    });
    const resolved = await src.resolve({});
    expect(resolved.manifestDigest).toBe(image.manifestDigest);
    expect((await readAll(await resolved.layers[0]!.open())).equals(image.layers[0]!.gz)).toBe(true);
    await src.close();
  });

  it('refuses an unknown CA, and says how to trust it', async () => {
    const error = await failure(
      registrySource(`${fixture.registry.host}/private/app:1`, {
        credentials: { username: USER, password: PASSWORD },
      }).resolve({}),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(/TLS verification failed for 127\.0\.0\.1/);
    expect((error as NetworkError).hint).toMatch(/--ca-cert/);
  });

  it('reports a wrong password in one line without the secret', async () => {
    const error = await failure(
      registrySource(`${fixture.registry.host}/private/app:1`, {
        credentials: { username: USER, password: 'wrong-password-xyz' },
        caCertFiles: [ca.caCert],
      }).resolve({}),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(new RegExp(`^authentication failed for ${fixture.registry.host}: `));
    expect(error.message).not.toContain('\n');
    expect(`${error.message} ${(error as AuthError).hint}`).not.toContain('wrong-password-xyz');
  });

  it('says authentication is required when no credentials are found', async () => {
    const error = await failure(
      registrySource(`${fixture.registry.host}/private/app:1`, { caCertFiles: [ca.caCert] }).resolve({}),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/^authentication required for 127\.0\.0\.1:\d+/);
  });

  it('reads auths from $DOCKER_CONFIG/config.json', async () => {
    const dockerConfig = join(fixture.work, 'docker-config');
    await mkdir(dockerConfig, { recursive: true });
    await writeFile(
      join(dockerConfig, 'config.json'),
      JSON.stringify({
        auths: {
          [`https://${fixture.registry.host}`]: {
            auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
          },
        },
      }),
    );
    const resolved = await registrySource(`${fixture.registry.host}/private/app:1`, {
      caCertFiles: [ca.caCert],
      env: { DOCKER_CONFIG: dockerConfig, HOME: fixture.work },
    }).resolve({});
    expect(resolved.manifestDigest).toBe(image.manifestDigest);
  });

  it('reads REGISTRY_AUTH_FILE (podman auth.json) before the Docker config', async () => {
    const authFile = join(fixture.work, 'auth.json');
    await writeFile(
      authFile,
      JSON.stringify({
        auths: { [`${fixture.registry.host}/private`]: { username: USER, password: PASSWORD } },
      }),
    );
    const resolved = await registrySource(`${fixture.registry.host}/private/app:1`, {
      caCertFiles: [ca.caCert],
      env: { REGISTRY_AUTH_FILE: authFile, HOME: join(fixture.work, 'nohome') },
    }).resolve({});
    expect(resolved.manifestDigest).toBe(image.manifestDigest);
  });

  it('runs docker-credential-NAME get for credHelpers and credsStore', async () => {
    const bin = join(fixture.work, 'bin');
    await mkdir(bin, { recursive: true });
    const log = join(fixture.work, 'helper.log');
    const helper = join(bin, 'docker-credential-imgscope-test');
    await writeFile(
      helper,
      `#!/bin/sh\nread server\necho "$1 $server" >> ${log}\n` +
        `if [ "$server" = "${fixture.registry.host}" ]; then printf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server"; exit 0; fi\n` +
        `echo "credentials not found in native keychain"; exit 1\n`,
    );
    await chmod(helper, 0o755);
    for (const config of [
      { credHelpers: { [fixture.registry.host]: 'imgscope-test' } },
      { credsStore: 'imgscope-test', auths: { [fixture.registry.host]: {} } },
    ]) {
      const dockerConfig = join(fixture.work, `dc-${Object.keys(config)[0]}`);
      await mkdir(dockerConfig, { recursive: true });
      await writeFile(join(dockerConfig, 'config.json'), JSON.stringify(config));
      const resolved = await registrySource(`${fixture.registry.host}/private/app:1`, {
        caCertFiles: [ca.caCert],
        env: { DOCKER_CONFIG: dockerConfig, PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: fixture.work },
      }).resolve({});
      expect(resolved.manifestDigest).toBe(image.manifestDigest);
    }
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([
      `get ${fixture.registry.host}`,
      `get ${fixture.registry.host}`,
    ]);
  });
});

describeWithRegistry('token auth with the test token issuer (JWT RS256, x5c)', () => {
  const fixture = useRegistryFixture({
    name: 'token',
    account: { user: USER, password: PASSWORD },
    token: { anonymousPull: false, refreshTokens: { [USER]: 'refresh-token-of-alice' } },
  });
  let issuer: TokenIssuer;
  let image: WrittenImage;

  beforeAll(async () => {
    issuer = fixture.issuer!;
    image = await fixture.pushImage(
      'img',
      { layers: [{ files: { a: 'token-a' } }, { files: { b: 'token-b' } }, { files: { c: 'token-c' } }] },
      'team/app:1',
    );
  });

  it('gets one token for the pull scope and reuses it for manifest, config and every layer', async () => {
    issuer.requests.length = 0;
    const src = registrySource(`${fixture.registry.host}/team/app:1`, {
      credentials: { username: USER, password: PASSWORD },
    });
    const resolved = await src.resolve({});
    for (const [i, layer] of resolved.layers.entries()) {
      expect((await readAll(await layer.open())).equals(image.layers[i]!.gz)).toBe(true);
    }
    expect(issuer.requests).toEqual([
      { scope: 'repository:team/app:pull', service: issuer.service, user: USER },
    ]);
    await src.close();
  });

  it('reuses a token until it expires, then fetches a new one (on a fake clock)', async () => {
    issuer.requests.length = 0;
    let clock = Date.now();
    const src = registrySource(`${fixture.registry.host}/team/app:1`, {
      credentials: { username: USER, password: PASSWORD },
      now: () => clock,
    });
    const resolved = await src.resolve({});
    expect(issuer.requests).toHaveLength(1);
    // 300 s lifetime, less the client's safety margin: at 200 s the token is still good.
    clock += 200_000;
    await readAll(await resolved.layers[0]!.open());
    expect(issuer.requests).toHaveLength(1);
    // Past its lifetime on the client's clock: a new token before the next request.
    clock += 100_000;
    await readAll(await resolved.layers[1]!.open());
    expect(issuer.requests).toHaveLength(2);
    expect(issuer.requests[1]).toEqual({
      scope: 'repository:team/app:pull',
      service: issuer.service,
      user: USER,
    });
    await src.close();
  });

  it('gets a fresh token when the registry answers 401 to the one it has', async () => {
    issuer.requests.length = 0;
    issuer.expiredTokensToIssue = 1;
    const resolved = await registrySource(`${fixture.registry.host}/team/app:1`, {
      credentials: { username: USER, password: PASSWORD },
    }).resolve({});
    expect(resolved.manifestDigest).toBe(image.manifestDigest);
    expect(issuer.requests).toHaveLength(2);
  });

  it('exchanges an identity token from config.json with the OAuth2 refresh-token grant', async () => {
    issuer.requests.length = 0;
    const dockerConfig = join(fixture.work, 'dc-identity');
    await mkdir(dockerConfig, { recursive: true });
    await writeFile(
      join(dockerConfig, 'config.json'),
      JSON.stringify({
        auths: {
          [fixture.registry.host]: {
            auth: Buffer.from('00000000-0000-0000-0000-000000000000:').toString('base64'),
            identitytoken: 'refresh-token-of-alice',
          },
        },
      }),
    );
    const resolved = await registrySource(`${fixture.registry.host}/team/app:1`, {
      env: { DOCKER_CONFIG: dockerConfig, HOME: fixture.work },
    }).resolve({});
    expect(resolved.manifestDigest).toBe(image.manifestDigest);
    expect(issuer.requests).toEqual([
      { scope: 'repository:team/app:pull', service: issuer.service, user: `${USER} (refresh token)` },
    ]);
  });

  it('reports a password the token server refuses, without the secret', async () => {
    const error = await failure(
      registrySource(`${fixture.registry.host}/team/app:1`, {
        credentials: { username: USER, password: 'not-the-password' },
      }).resolve({}),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(new RegExp(`^authentication failed for ${fixture.registry.host}: `));
    expect(error.message).not.toContain('not-the-password');
  });

  it('is refused anonymously with a clear message', async () => {
    const error = await failure(registrySource(`${fixture.registry.host}/team/app:1`, {}).resolve({}));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/^authentication required for /);
  });
});
