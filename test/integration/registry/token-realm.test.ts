import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImgscope } from '../../helpers/registry-cli.js';
import { type RegistryFixture, startRegistryFixture } from '../../helpers/registry-fixture.js';
import type { WrittenImage } from '../../helpers/registry-images.js';
import { registryTestsSkipReason } from '../../helpers/registry-server.js';
import { expectOneLineError } from '../../helpers/run-cli.js';

const skip = registryTestsSkipReason();
const USER = 'dana';
const PASSWORD = 'realm-Pa55word-planted';
const IMAGE = { layers: [{ files: { 'srv/app': 'realm app' } }] };

/** The registry's challenge names the test token issuer's realm, which is always http://127.0.0.1:PORT/token. */
describe.skipIf(skip !== null)('credentials and a plain-HTTP token realm', () => {
  let tls: RegistryFixture;
  let plain: RegistryFixture;
  let image: WrittenImage;
  let plainImage: WrittenImage;

  beforeAll(async () => {
    const options = { account: { user: USER, password: PASSWORD }, token: { anonymousPull: true } };
    [tls, plain] = await Promise.all([
      startRegistryFixture({ name: 'realm-tls', tls: true, ...options }),
      startRegistryFixture({ name: 'realm-plain', ...options }),
    ]);
    image = await tls.pushImage('img', IMAGE, 'team/app:1');
    plainImage = await plain.pushImage('img', IMAGE, 'team/app:1');
  });
  afterAll(async () => {
    await Promise.all([tls?.stop(), plain?.stop()]);
  });

  const env = (fixture: RegistryFixture): Record<string, string> => ({
    HOME: fixture.work,
    XDG_CACHE_HOME: join(fixture.work, 'cache'),
  });

  it('an HTTPS registry naming an http:// realm gets no credentials: exit 3, one line', async () => {
    const issuer = tls.issuer!;
    issuer.requests.length = 0;
    const host = tls.registry.host;
    const result = await runImgscope(
      ['analyze', `${host}/team/app:1`, '--username', USER, '--password-stdin', '--ca-cert', tls.ca!.caCert],
      env(tls),
      `${PASSWORD}\n`,
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(expectOneLineError(result)).toBe(
      `imgscope: error: refusing to send the credentials for ${host} to its token server ${issuer.realm} over plain HTTP (the registry itself uses HTTPS) (the registry's token realm must be an https:// URL: fix the registry's auth configuration, or pull without credentials)`,
    );
    // Nothing reached the token server, so no Authorization header either.
    expect(issuer.requests).toEqual([]);
  });

  it('the same HTTPS registry still serves an anonymous pull through the http:// realm', async () => {
    const issuer = tls.issuer!;
    issuer.requests.length = 0;
    const result = await runImgscope(
      ['analyze', `${tls.registry.host}/team/app:1`, '--json', '--ca-cert', tls.ca!.caCert],
      env(tls),
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).image.digest).toBe(image.manifestDigest);
    expect(issuer.requests).toEqual([
      { scope: 'repository:team/app:pull', service: issuer.service, user: null },
    ]);
  });

  it('a registry reached over plain HTTP on loopback still sends credentials to its http:// realm', async () => {
    const issuer = plain.issuer!;
    issuer.requests.length = 0;
    const result = await runImgscope(
      ['analyze', `${plain.registry.host}/team/app:1`, '--json', '--username', USER, '--password-stdin'],
      env(plain),
      `${PASSWORD}\n`,
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).image.digest).toBe(plainImage.manifestDigest);
    expect(issuer.requests).toEqual([
      { scope: 'repository:team/app:pull', service: issuer.service, user: USER },
    ]);
  });
});
