import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ConfigError } from '../../../src/errors.js';
import { lookupCredentials } from '../../../src/registry/credentials.js';
import { redactCredentials } from '../../../src/registry/redact.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

const REGISTRY = 'registry.example.test';

describe('credential helpers are run safely', () => {
  let dir: string;
  let bin: string;

  beforeAll(async () => {
    dir = await tempDir('imgscope-helpers-');
    bin = join(dir, 'bin');
    await mkdir(bin);
  });
  afterAll(cleanupTempDirs);

  async function helper(name: string, script: string): Promise<void> {
    await writeFile(join(bin, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, `docker-credential-${name}`), 0o755);
  }

  async function configWith(name: string, content: unknown): Promise<NodeJS.ProcessEnv> {
    const d = join(dir, name);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'config.json'), JSON.stringify(content));
    return { DOCKER_CONFIG: d, HOME: dir, PATH: `${bin}:${process.env.PATH ?? ''}` };
  }

  async function failure(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
  }

  it.each([
    ['credHelpers', '../evil'],
    ['credHelpers', 'bin/evil'],
    ['credsStore', '..'],
    ['credsStore', 'a\\b'],
    ['credsStore', '-evil'],
  ])('refuses the %s name %j before running anything', async (key, name) => {
    const marker = join(dir, 'ran');
    // Were the name used, this is what PATH would find for "docker-credential-" + a plain suffix.
    await helper('evil', `touch ${marker}`);
    const config =
      key === 'credHelpers' ? { credHelpers: { [REGISTRY]: name } } : { credsStore: name, auths: {} };
    const env = await configWith(`refuse-${key}-${name.replace(/\W/g, '_')}`, config);
    const error = await failure(lookupCredentials(REGISTRY, 'app', { env }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `credential helper name ${JSON.stringify(name)} in ${join(env.DOCKER_CONFIG!, 'config.json')} (${key}) is not a plain name (no path separators or ".."); imgscope will not run it`,
    );
    await expect(readFile(marker)).rejects.toThrow(/ENOENT/);
  });

  it('still runs a plain name with dots and dashes (desktop.exe, ecr-login)', async () => {
    await helper('ecr-login.v2', `printf '{"Username":"u","Secret":"s"}'`);
    const env = await configWith('plain', { credHelpers: { [REGISTRY]: 'ecr-login.v2' } });
    expect((await lookupCredentials(REGISTRY, 'app', { env }))?.credentials).toEqual({
      username: 'u',
      password: 's',
    });
  });

  it('stops a helper that hangs after the timeout and says so', async () => {
    const pidFile = join(dir, 'sleeper.pid');
    await helper('sleeper', `echo $$ > ${pidFile}\nexec sleep 600`);
    const env = await configWith('sleeper', { credsStore: 'sleeper' });
    const error = await failure(lookupCredentials(REGISTRY, 'app', { env, timeoutMs: 1000 }));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(
      `credential helper docker-credential-sleeper did not answer within 1000 ms for ${REGISTRY}`,
    );
    // The failure comes once the helper has exited: it is gone, not left running.
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it("repeats only the first line of a failing helper's words, secrets masked", async () => {
    await helper(
      'talker',
      `echo 'keychain locked: {"Username":"u","Secret":"planted-helper-secret"} password=planted-pw' >&2\n` +
        `echo 'second line planted-second' >&2\nexit 1`,
    );
    const env = await configWith('talker', { credsStore: 'talker' });
    const error = await failure(lookupCredentials(REGISTRY, 'app', { env }));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(
      `credential helper docker-credential-talker failed for ${REGISTRY}: keychain locked: {"Username":"u","Secret":"[redacted]"} password=[redacted]`,
    );
  });
});

describe('redactCredentials', () => {
  it.each([
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [redacted]'],
    [
      "'GET http://h/v2/ HTTP/1.1\\r\\nProxy-Authorization: Basic cDpx\\r\\nAuthorization: Bearer abc.def\\r\\n'",
      "'GET http://h/v2/ HTTP/1.1\\r\\nProxy-Authorization: Basic [redacted]\\r\\nAuthorization: Bearer [redacted]\\r\\n'",
    ],
    ["proxy 'http://user:pa55@127.0.0.1:3128/'", "proxy 'http://user:[redacted]@127.0.0.1:3128/'"],
    [
      'grant_type=refresh_token&refresh_token=r3fr3sh&client_id=x',
      'grant_type=refresh_token&refresh_token=[redacted]&client_id=x',
    ],
    ['{"token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIifQ.c2ln"}', '{"token":"[redacted]"}'],
    ['got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIifQ.c2ln back', 'got [redacted] back'],
    ['cannot reach 127.0.0.1:5000: ECONNREFUSED', 'cannot reach 127.0.0.1:5000: ECONNREFUSED'],
    ['the token server of r.example answered HTTP 500', 'the token server of r.example answered HTTP 500'],
  ])('%s', (input, expected) => expect(redactCredentials(input)).toBe(expected));
});
