/**
 * A token server for the registry's token auth: checks Basic credentials, signs a JWT (RS256,
 * certificate in `x5c`) with the claims the registry checks (iss, aud, exp, nbf, access), and
 * records every request so tests can assert reuse and what was asked.
 */
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeSelfSignedCertificate } from './test-certificates.js';

export interface TokenIssuer {
  realm: string;
  service: string;
  issuer: string;
  /** PEM bundle the registry trusts (rootcertbundle). */
  rootCertBundle: string;
  requests: { scope: string | null; service: string | null; user: string | null }[];
  /** Every token handed out, so tests can look for them in output. */
  issued: string[];
  /** Seconds a token lives (expires_in); change between tests. */
  lifetime: number;
  /** Hand out this many already-expired tokens first (the registry rejects them), to test refresh on 401. */
  expiredTokensToIssue: number;
  stop: () => Promise<void>;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export async function startTokenIssuer(
  dir: string,
  users: Record<string, string>,
  options: { anonymousPull?: boolean; refreshTokens?: Record<string, string> } = {},
): Promise<TokenIssuer> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await makeSelfSignedCertificate(keyPath, certPath, 'imgscope test token issuer');
  const key = createPrivateKey(await readFile(keyPath));
  const certDer = new X509Certificate(await readFile(certPath)).raw;
  const service = 'imgscope-test-registry';
  const issuer = 'imgscope-test-issuer';
  const state: TokenIssuer = {
    realm: '',
    service,
    issuer,
    rootCertBundle: certPath,
    requests: [],
    issued: [],
    lifetime: 300,
    expiredTokensToIssue: 0,
    stop: async () => undefined,
  };
  let issuedAt = 0;
  function issue(user: string | null, scope: string | null): string {
    const access = [];
    if (scope !== null) {
      const parts = scope.split(':');
      const [type, name, actions] = [parts[0], parts.slice(1, -1).join(':'), parts.at(-1)];
      let granted = (actions ?? '').split(',').filter((a) => a !== '');
      if (user === null) granted = options.anonymousPull ? granted.filter((a) => a === 'pull') : [];
      access.push({ type, name, actions: granted });
    }
    let now = Math.floor(Date.now() / 1000);
    if (state.expiredTokensToIssue > 0) {
      state.expiredTokensToIssue -= 1;
      now -= 3600; // expired well past the registry's leeway
    }
    issuedAt = now;
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] };
    const claims = {
      iss: issuer,
      sub: user ?? '',
      aud: service,
      exp: now + state.lifetime,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const token = `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
    state.issued.push(token);
    return token;
  }

  function refreshGrant(req: http.IncomingMessage, res: http.ServerResponse): void {
    // OAuth2 refresh-token grant, what `docker login` with an identity token leads to.
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const refresh = form.get('refresh_token');
      const owner = Object.entries(options.refreshTokens ?? {}).find(([, t]) => t === refresh)?.[0] ?? null;
      state.requests.push({
        scope: form.get('scope'),
        service: form.get('service'),
        user: owner === null ? null : `${owner} (refresh token)`,
      });
      if (form.get('grant_type') !== 'refresh_token' || owner === null) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_grant', details: 'unknown refresh token' }));
        return;
      }
      const token = issue(owner, form.get('scope'));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ access_token: token, expires_in: state.lifetime, scope: form.get('scope') }));
    });
  }

  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      refreshGrant(req, res);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const scope = url.searchParams.get('scope');
    let user: string | null = null;
    const authz = req.headers.authorization;
    if (authz?.startsWith('Basic ')) {
      const decoded = Buffer.from(authz.slice(6), 'base64').toString();
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      if (users[name] === undefined || users[name] !== decoded.slice(colon + 1)) {
        state.requests.push({
          scope,
          service: url.searchParams.get('service'),
          user: `${name} (bad password)`,
        });
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }),
        );
        return;
      }
      user = name;
    }
    state.requests.push({ scope, service: url.searchParams.get('service'), user });
    const token = issue(user, scope);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: state.lifetime,
        issued_at: new Date(issuedAt * 1000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.realm = `http://127.0.0.1:${port}/token`;
  state.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
