import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ConfigError } from '../../../src/errors.js';
import { lookupCredentials, normaliseAuthKey } from '../../../src/registry/credentials.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('normaliseAuthKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['https://GHCR.io', 'ghcr.io'],
    ['http://localhost:5000/v2/', 'localhost:5000'],
    ['quay.io/org', 'quay.io/org'],
  ])('%s -> %s', (key, expected) => expect(normaliseAuthKey(key)).toBe(expected));
});

describe('lookupCredentials', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('imgscope-creds-');
  });
  afterAll(cleanupTempDirs);

  async function config(name: string, content: unknown): Promise<string> {
    const d = join(dir, name);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'config.json'), JSON.stringify(content));
    return d;
  }

  it('finds Docker Hub under https://index.docker.io/v1/', async () => {
    const d = await config('hub', {
      auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } },
    });
    const found = await lookupCredentials('docker.io', 'library/nginx', { env: { DOCKER_CONFIG: d } });
    expect(found?.credentials).toEqual({ username: 'hubuser', password: 'hubpass' });
  });

  it('reads ~/.docker/config.json when DOCKER_CONFIG is unset, and returns null when nothing matches', async () => {
    const home = join(dir, 'home');
    await config('home/.docker', { auths: { 'ghcr.io': { username: 'u', password: 'p:with:colons' } } });
    expect((await lookupCredentials('ghcr.io', 'a/b', { env: { HOME: home } }))?.credentials.password).toBe(
      'p:with:colons',
    );
    expect(await lookupCredentials('quay.io', 'a/b', { env: { HOME: home } })).toBeNull();
  });

  it('prefers the most specific REGISTRY_AUTH_FILE key (host/namespace)', async () => {
    const file = join(dir, 'auth.json');
    await writeFile(
      file,
      JSON.stringify({
        auths: { 'quay.io': { auth: b64('general:1') }, 'quay.io/team': { auth: b64('team:2') } },
      }),
    );
    const env = { REGISTRY_AUTH_FILE: file, HOME: join(dir, 'none') };
    expect((await lookupCredentials('quay.io', 'team/app', { env }))?.credentials.username).toBe('team');
    expect((await lookupCredentials('quay.io', 'other/app', { env }))?.credentials.username).toBe('general');
  });

  it('keeps an identity token for the OAuth2 refresh grant', async () => {
    const d = await config('idt', {
      auths: {
        'acr.example.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh-me' },
      },
    });
    const found = await lookupCredentials('acr.example.io', 'x', { env: { DOCKER_CONFIG: d } });
    expect(found?.credentials.identityToken).toBe('refresh-me');
  });

  it('says which helper is missing', async () => {
    const d = await config('nohelper', { credHelpers: { 'ecr.example.io': 'imgscope-absent-helper' } });
    await expect(
      lookupCredentials('ecr.example.io', 'x', { env: { DOCKER_CONFIG: d, PATH: '/nonexistent' } }),
    ).rejects.toThrow(ConfigError);
  });

  it('treats "credentials not found" from a helper as anonymous and other failures as errors', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(
      join(bin, 'docker-credential-empty'),
      '#!/bin/sh\necho "credentials not found in native keychain"\nexit 1\n',
    );
    await writeFile(join(bin, 'docker-credential-broken'), '#!/bin/sh\necho "keychain locked" >&2\nexit 1\n');
    await chmod(join(bin, 'docker-credential-empty'), 0o755);
    await chmod(join(bin, 'docker-credential-broken'), 0o755);
    const empty = await config('empty', { credsStore: 'empty' });
    expect(await lookupCredentials('ghcr.io', 'x', { env: { DOCKER_CONFIG: empty, PATH: bin } })).toBeNull();
    const broken = await config('broken', { credsStore: 'broken' });
    await expect(
      lookupCredentials('ghcr.io', 'x', { env: { DOCKER_CONFIG: broken, PATH: bin } }),
    ).rejects.toThrow(AuthError);
  });

  it('rejects a config that is not JSON, naming the file', async () => {
    const d = join(dir, 'bad');
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'config.json'), '{nope');
    await expect(lookupCredentials('ghcr.io', 'x', { env: { DOCKER_CONFIG: d } })).rejects.toThrow(
      /bad\/config\.json is not valid JSON/,
    );
  });
});
