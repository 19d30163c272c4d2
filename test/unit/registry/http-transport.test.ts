import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError } from '../../../src/errors.js';
import { HttpExchange } from '../../../src/registry/http-exchange.js';
import { HttpTransport } from '../../../src/registry/http-transport.js';
import { readSmallBody } from '../../../src/registry/response-body.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/registry/retry.js';
import { type LoopbackServer, startLoopbackServer } from '../../helpers/loopback-server.js';

const GZIPPED = gzipSync(Buffer.from('stored bytes, not decoded'));

let server: LoopbackServer;
const seen: http.IncomingHttpHeaders[] = [];
const posted: string[] = [];

beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/token') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        posted.push(body);
        res.writeHead(200).end();
      });
    } else if (req.url === '/challenges') {
      res.writeHead(401, [
        ['WWW-Authenticate', 'Bearer realm="https://auth.example/token"'],
        ['WWW-Authenticate', 'Basic realm="registry"'],
        ['Content-Length', '0'],
      ]);
      res.end();
    } else if (req.url === '/gzip') {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(GZIPPED.length) });
      res.end(GZIPPED);
    } else if (req.url === '/to-data') {
      res.writeHead(302, { Location: 'data:text/plain,hello' }).end();
    } else {
      res.writeHead(302, { Location: '/gzip' }).end();
    }
  });
});

afterAll(() => server.close());

function transport(): HttpTransport {
  return new HttpTransport({
    caCerts: [],
    skipTlsVerify: false,
    timeoutMs: 5_000,
    env: {},
    userAgent: 'imgscope-test',
  });
}

describe('HttpTransport', () => {
  it('keeps the connection alive and hands out the stored bytes, not a decoded body', async () => {
    const http = transport();
    server.connections = 0;
    seen.length = 0;
    try {
      for (let i = 0; i < 3; i++) {
        const res = await http.request({ method: 'GET', url: new URL('/gzip', server.base), headers: {} });
        expect(res.headers['content-encoding']).toBe('gzip');
        expect(await readSmallBody(res.body, 1024)).toEqual(GZIPPED);
      }
    } finally {
      http.close();
    }
    expect(server.connections).toBe(1);
    expect(seen.map((h) => [h['user-agent'], h['accept-encoding']])).toEqual(
      Array(3).fill(['imgscope-test', undefined]),
    );
  });

  it('joins a repeated header with ", " and sends a form body with its length, not chunked', async () => {
    const http = transport();
    const form = 'grant_type=password&service=registry&scope=repository%3Aa%3Apull';
    seen.length = 0;
    posted.length = 0;
    try {
      const challenged = await http.request({
        method: 'GET',
        url: new URL('/challenges', server.base),
        headers: {},
      });
      challenged.body.resume();
      expect(challenged.headers['www-authenticate']).toBe(
        'Bearer realm="https://auth.example/token", Basic realm="registry"',
      );
      const res = await http.request({
        method: 'POST',
        url: new URL('/token', server.base),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      res.body.resume();
      expect(res.status).toBe(200);
    } finally {
      http.close();
    }
    expect(posted).toEqual([form]);
    expect([seen[1]?.['content-length'], seen[1]?.['transfer-encoding']]).toEqual([
      String(form.length),
      undefined,
    ]);
  });

  it('returns a redirect as it is, for the exchange to follow hop by hop', async () => {
    const http = transport();
    try {
      const res = await http.request({ method: 'GET', url: new URL('/moved', server.base), headers: {} });
      expect([res.status, res.headers.location]).toEqual([302, '/gzip']);
      res.body.resume();
    } finally {
      http.close();
    }
  });
});

describe('HttpExchange redirects', () => {
  it('follows a relative redirect and refuses one to a data: URL', async () => {
    const exchange = new HttpExchange(transport(), DEFAULT_RETRY_POLICY);
    try {
      const res = await exchange.send({ method: 'GET', url: new URL('/moved', server.base), headers: {} });
      expect([res.status, (await readSmallBody(res.body, 1024)).equals(GZIPPED)]).toEqual([200, true]);
      const refused = exchange.send({ method: 'GET', url: new URL('/to-data', server.base), headers: {} });
      await expect(refused).rejects.toThrow(RegistryError);
      await expect(refused).rejects.toThrow(/redirected to a URL imgscope does not follow \(data:\)/);
    } finally {
      exchange.close();
    }
  });
});
