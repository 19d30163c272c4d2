import { beforeAll, expect, it } from 'vitest';
import { RegistryError } from '../../../src/errors.js';
import { Authenticator } from '../../../src/registry/authenticator.js';
import { HttpExchange } from '../../../src/registry/http-exchange.js';
import { HttpTransport } from '../../../src/registry/http-transport.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/registry/retry.js';
import type { WrittenImage } from '../../helpers/registry-images.js';
import { describeWithRegistry, useFaultProxy, useRegistryFixture } from '../../helpers/registry-suite.js';
import { expectOneLineError, runCli } from '../../helpers/run-cli.js';

const USER = 'dana';
const PASSWORD = 'realm-Pa55word-planted';
const IMAGE = { layers: [{ files: { 'srv/app': 'realm app' } }] };

/** The registry's challenge names the test token issuer's realm, which is always http://127.0.0.1:PORT/token. */
describeWithRegistry('credentials and a plain-HTTP token realm', () => {
  const options = { account: { user: USER, password: PASSWORD }, token: { anonymousPull: true } };
  const tls = useRegistryFixture({ name: 'realm-tls', tls: true, ...options });
  const plain = useRegistryFixture({ name: 'realm-plain', ...options });
  let image: WrittenImage;
  let plainImage: WrittenImage;

  beforeAll(async () => {
    image = await tls.pushImage('img', IMAGE, 'team/app:1');
    plainImage = await plain.pushImage('img', IMAGE, 'team/app:1');
  });

  it('an HTTPS registry naming an http:// realm gets no credentials: exit 3, one line', async () => {
    const issuer = tls.issuer!;
    issuer.requests.length = 0;
    const host = tls.registry.host;
    const result = await runCli(
      ['analyze', `${host}/team/app:1`, '--username', USER, '--password-stdin', '--ca-cert', tls.ca!.caCert],
      tls.cliEnv('cache'),
      { stdin: `${PASSWORD}\n` },
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
    const result = await runCli(
      ['analyze', `${tls.registry.host}/team/app:1`, '--json', '--ca-cert', tls.ca!.caCert],
      tls.cliEnv('cache'),
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
    const result = await runCli(
      ['analyze', `${plain.registry.host}/team/app:1`, '--json', '--username', USER, '--password-stdin'],
      plain.cliEnv('cache'),
      { stdin: `${PASSWORD}\n` },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).image.digest).toBe(plainImage.manifestDigest);
    expect(issuer.requests).toEqual([
      { scope: 'repository:team/app:pull', service: issuer.service, user: USER },
    ]);
  });
});

describeWithRegistry('a token server that redirects', () => {
  const proxy = useFaultProxy(useRegistryFixture({ name: 'realm-redirect' }));

  it('does not carry a refresh token to another origin', async () => {
    const transport = new HttpTransport({
      caCerts: [],
      skipTlsVerify: false,
      timeoutMs: 5000,
      env: {},
      userAgent: 't',
    });
    try {
      proxy.fault = (req) => (req.path.startsWith('/token') ? { redirectToStorage: true } : undefined);
      const exchange = new HttpExchange(transport, DEFAULT_RETRY_POLICY);
      const auth = new Authenticator(
        proxy.host,
        (spec) => exchange.send(spec),
        () =>
          Promise.resolve({
            credentials: { username: '', password: '', identityToken: 'refresh-planted' },
            origin: 'test',
          }),
      );
      auth.setChallenge(
        `Bearer realm="http://${proxy.host}/token",service="s"`,
        new URL(`http://${proxy.host}`),
      );
      const error = await auth.authorization('repository:a:pull').then(
        () => new Error('expected a failure'),
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(RegistryError);
      expect(error.message).toBe(
        `${proxy.host} redirected a request carrying credentials to http://${proxy.storageHost}; imgscope does not follow it`,
      );
      expect(proxy.requests.map((r) => `${r.server} ${r.method} ${r.path}`)).toEqual([
        'registry POST /token',
      ]);
    } finally {
      transport.close();
    }
  });
});
