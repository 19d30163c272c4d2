import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryError } from '../../../src/errors.js';
import { RegistryClient } from '../../../src/registry/index.js';

/**
 * How a loopback registry's protocol is found: plain HTTP is asked first, TLS only where plain
 * HTTP did not find a registry (a registry that speaks TLS is tested against the real
 * docker-registry in test/integration/registry/auth.test.ts).
 */
interface PlainServer {
  host: string;
  /** "METHOD PATH" of each request, in order. */
  requests: string[];
  /** Connections that did not speak HTTP: a TLS client hello is one. */
  notHttp: number;
  close(): Promise<void>;
}

let server: PlainServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function startPlainServer(
  answer: (path: string, seen: number) => [number, string],
): Promise<PlainServer> {
  const seen = new Map<string, number>();
  const httpServer = http.createServer((req, res) => {
    const path = req.url ?? '';
    started.requests.push(`${req.method} ${path}`);
    seen.set(path, (seen.get(path) ?? 0) + 1);
    const [status, body] = answer(path, seen.get(path) ?? 0);
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  httpServer.on('clientError', (_error, socket) => {
    started.notHttp += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const started: PlainServer = {
    host: `127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    requests: [],
    notHttp: 0,
    async close() {
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
  return started;
}

const NOT_FOUND = JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });

function client(host: string): RegistryClient {
  return new RegistryClient(host, { env: {}, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
}

describe('a registry on loopback', () => {
  it('is asked over plain HTTP first: a plain registry never sees a TLS hello', async () => {
    server = await startPlainServer((path) => (path === '/v2/' ? [200, '{}'] : [404, NOT_FOUND]));
    await expect(client(server.host).getManifest('app', 'v1')).rejects.toThrow(/not found/);
    expect(server.requests).toEqual(['GET /v2/', 'GET /v2/app/manifests/v1']);
    expect(server.notHttp).toBe(0);
  });

  it('whose first answer is a 503 is asked over TLS, then over plain HTTP again with retries', async () => {
    server = await startPlainServer((path, seen) =>
      path === '/v2/' && seen === 1 ? [503, '{}'] : path === '/v2/' ? [200, '{}'] : [404, NOT_FOUND],
    );
    await expect(client(server.host).getManifest('app', 'v1')).rejects.toThrow(/not found/);
    expect(server.requests).toEqual(['GET /v2/', 'GET /v2/', 'GET /v2/app/manifests/v1']);
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
    expect(server.requests).toEqual(['GET /v2/']);
    expect(server.notHttp).toBe(1);
  });
});
