import { describe, expect, it } from 'vitest';
import {
  formatImageReference,
  isLoopbackHost,
  manifestReference,
  parseDaemonReference,
  parseImageReference,
  registryApiHost,
  splitHostPort,
} from '../../../src/reference/index.js';
import { UsageError } from '../../../src/errors.js';

const D = 'sha256:' + 'a'.repeat(64);

describe('parseImageReference', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx', 'latest', null],
    ['nginx:1.17', 'docker.io', 'library/nginx', '1.17', null],
    ['docker.io/nginx', 'docker.io', 'library/nginx', 'latest', null],
    ['index.docker.io/library/nginx:1', 'docker.io', 'library/nginx', '1', null],
    ['user/app:v2', 'docker.io', 'user/app', 'v2', null],
    ['docker://nginx:1.17', 'docker.io', 'library/nginx', '1.17', null],
    ['ghcr.io/org/team/app:1.0', 'ghcr.io', 'org/team/app', '1.0', null],
    ['localhost/app', 'localhost', 'app', 'latest', null],
    ['localhost:5000/app:dev', 'localhost:5000', 'app', 'dev', null],
    ['127.0.0.1:5000/a/b', '127.0.0.1:5000', 'a/b', 'latest', null],
    ['[::1]:5000/app:x', '[::1]:5000', 'app', 'x', null],
    ['[fe80::1]/app', '[fe80::1]', 'app', 'latest', null],
    [`nginx@${D}`, 'docker.io', 'library/nginx', null, D],
    [`host:5000/app:1.2@${D}`, 'host:5000', 'app', '1.2', D],
    [
      'my-registry.example:443/a_b/c__d/e-f.g:TAG_1',
      'my-registry.example:443',
      'a_b/c__d/e-f.g',
      'TAG_1',
      null,
    ],
  ])('%s', (input, registry, repository, tag, digest) => {
    expect(parseImageReference(input)).toEqual({ registry, repository, tag, digest });
  });

  it('treats a first component without . or : as part of the repository', () => {
    expect(parseImageReference('foo/bar').registry).toBe('docker.io');
    expect(parseImageReference('foo:5000').repository).toBe('library/foo');
    expect(parseImageReference('foo:5000').tag).toBe('5000');
  });

  it.each([
    ['', 'empty'],
    ['docker://', 'empty'],
    ['Nginx', 'lowercase'],
    ['nginx:bad tag', 'valid tag'],
    ['nginx:-x', 'valid tag'],
    ['nginx@sha256:abc', 'not a digest'],
    ['nginx@sha256:' + 'A'.repeat(64), 'sha256'],
    ['host:99999/app', 'port'],
    ['[::1/app', 'IPv6'],
    ['host:5000/', 'missing'],
    ['a//b', 'component'],
    ['-bad-.io/app', 'host name'],
  ])('rejects %j (%s)', (input, why) => {
    let error: unknown;
    try {
      parseImageReference(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toContain('invalid image reference');
  });
});

describe('reference helpers', () => {
  it('formats the fully qualified name', () => {
    expect(formatImageReference(parseImageReference('nginx:1.17'))).toBe('docker.io/library/nginx:1.17');
    expect(formatImageReference(parseImageReference(`h.io/a@${D}`))).toBe(`h.io/a@${D}`);
  });
  it('prefers the digest for the manifest request', () => {
    expect(manifestReference(parseImageReference(`h.io/a:1@${D}`))).toBe(D);
    expect(manifestReference(parseImageReference('h.io/a:1'))).toBe('1');
  });
  it('maps Docker Hub to its API host', () => {
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io');
    expect(registryApiHost('ghcr.io')).toBe('ghcr.io');
  });
  it('splits hosts and ports, IPv6 included', () => {
    expect(splitHostPort('[::1]:5000')).toEqual({ hostname: '::1', port: 5000 });
    expect(splitHostPort('[::1]')).toEqual({ hostname: '::1', port: null });
    expect(splitHostPort('a.io:443')).toEqual({ hostname: 'a.io', port: 443 });
    expect(splitHostPort('a.io')).toEqual({ hostname: 'a.io', port: null });
  });
  it('recognises loopback hosts', () => {
    for (const h of ['localhost', 'localhost:5000', '127.0.0.1:80', '127.9.9.9', '[::1]:5000']) {
      expect(isLoopbackHost(h)).toBe(true);
    }
    for (const h of ['ghcr.io', '10.0.0.1:5000', 'localhost.example.com', '[fe80::1]']) {
      expect(isLoopbackHost(h)).toBe(false);
    }
  });
  it('parses docker-daemon names', () => {
    expect(parseDaemonReference('docker-daemon:nginx:1.17')).toBe('nginx:1.17');
    expect(parseDaemonReference('nginx')).toBeNull();
    expect(() => parseDaemonReference('docker-daemon:')).toThrow(UsageError);
  });
});
