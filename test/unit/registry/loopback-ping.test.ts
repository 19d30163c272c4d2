import { afterEach, describe, expect, it } from 'vitest';
import { RegistryError } from '../../../src/errors.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { type LoopbackServer, startLoopbackServer } from '../../helpers/loopback-server.js';

/**
 * How a loopback registry's protocol is found: plain HTTP is asked first, TLS only where plain
 * HTTP did not find a registry (a registry that speaks TLS is tested against the real
 * docker-registry in test/integration/registry/auth.test.ts).
 */
type PlainServer = LoopbackServer & { host: string };
let server: PlainServer | null = null;
/** "METHOD PATH" of each request the server got, in order. */
let requests: string[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  requests = [];
});

/** A server answering `answer(path, times this path was asked)`; its host is "127.0.0.1:PORT". */
async function startPlainServer(
  answer: (path: string, seen: number) => [number, string],
): Promise<PlainServer> {
  const seen = new Map<string, number>();
  const started = await startLoopbackServer((req, res) => {
    const path = req.url ?? '';
    requests.push(`${req.method} ${path}`);
    seen.set(path, (seen.get(path) ?? 0) + 1);
    const [status, body] = answer(path, seen.get(path) ?? 0);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  return Object.assign(started, { host: new URL(started.base).host });
}

const NOT_FOUND = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });

function client(host: string): RegistryClient {
  return new RegistryClient(host, { env: {}, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
}

describe('a registry on loopback', () => {
  it('is asked over plain HTTP first: a plain registry never sees a TLS hello', async () => {
    server = await startPlainServer((path) => (path === '/v2/' ? [200, '{}'] : [404, NOT_FOUND]));
    await expect(client(server.host).getManifest('app', 'v1')).rejects.toThrow(/not found/);
    expect(requests).toEqual(['GET /v2/', 'GET /v2/app/manifests/v1']);
    expect(server.notHttp).toBe(0);
  });

  it('whose first answer is a 503 is asked over TLS, then over plain HTTP again with retries', async () => {
    server = await startPlainServer((path, seen) =>
      path === '/v2/' && seen === 1 ? [503, '{}'] : path === '/v2/' ? [200, '{}'] : [404, NOT_FOUND],
    );
    await expect(client(server.host).getManifest('app', 'v1')).rejects.toThrow(/not found/);
    expect(requests).toEqual(['GET /v2/', 'GET /v2/', 'GET /v2/app/manifests/v1']);
    expect(server.notHttp).toBe(1);
  });

  it('that is not a registry is reported with its plain-HTTP answer, once TLS failed too', async () => {
    server = await startPlainServer(() => [404, 'no such page']);
    const error = await client(server.host)
      .getManifest('app', 'v1')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toBe(
      `${server.host} does not answer as a container registry (GET /v2/ gave HTTP 404: no such page)`,
    );
    expect(requests).toEqual(['GET /v2/']);
    expect(server.notHttp).toBe(1);
  });
});
