import { AuthError } from '../errors.js';
import { type AuthChallenge, parseChallenges } from './challenge.js';
import type { FoundCredentials } from './credentials.js';
import type { HttpResponse, RequestSpec } from './http-transport.js';
import { describeErrorBody, readSmallBody } from './response-body.js';

/** Sends one request with retries and redirects (no registry auth of its own). */
export type Exchange = (spec: RequestSpec) => Promise<HttpResponse>;

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** Tokens are renewed this long before the expiry the token server announced. */
const EXPIRY_MARGIN_MS = 10_000;
/** The distribution spec's default when a token server does not say. */
const DEFAULT_TOKEN_LIFETIME_S = 60;

/**
 * Turns the registry's challenge into an Authorization header: Basic with the credentials,
 * or Bearer with a token from the challenge's realm for `service` and the request's scope,
 * reused per scope until it expires. Never puts a secret in an error.
 */
export class Authenticator {
  private challenge: AuthChallenge | null = null;
  /** Whether the registry that sent the challenge was reached over plain HTTP (loopback or --insecure). */
  private registryOverHttp = false;
  private readonly tokens = new Map<string, CachedToken>();
  private credentials: Promise<FoundCredentials | null> | null = null;

  constructor(
    private readonly host: string,
    private readonly exchange: Exchange,
    private readonly findCredentials: () => Promise<FoundCredentials | null>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers the challenge of a 401 from `registry`; returns false when it names no scheme imgscope speaks. */
  setChallenge(header: string | undefined, registry: URL): boolean {
    this.registryOverHttp = registry.protocol === 'http:';
    const challenges = parseChallenges(header ?? '');
    const chosen =
      challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    this.challenge = chosen ?? null;
    return chosen !== undefined;
  }

  get knowsChallenge(): boolean {
    return this.challenge !== null;
  }

  /** Whether credentials are at hand (explicit or stored); looked up once. */
  async hasCredentials(): Promise<boolean> {
    return (await this.lookup()) !== null;
  }

  private lookup(): Promise<FoundCredentials | null> {
    this.credentials ??= this.findCredentials();
    return this.credentials;
  }

  forget(scope: string): void {
    this.tokens.delete(scope);
  }

  /** The Authorization header for a request needing `scope`; undefined when the registry asked for none. */
  async authorization(scope: string): Promise<string | undefined> {
    const challenge = this.challenge;
    if (challenge === null) return undefined;
    if (challenge.scheme === 'basic') {
      const found = await this.lookup();
      if (found === null) return undefined;
      const { username, password } = found.credentials;
      return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    const cached = this.tokens.get(scope);
    if (cached !== undefined && cached.expiresAt > this.now()) return `Bearer ${cached.value}`;
    const token = await this.fetchToken(challenge, scope);
    this.tokens.set(scope, token);
    return `Bearer ${token.value}`;
  }

  private async fetchToken(challenge: AuthChallenge, scope: string): Promise<CachedToken> {
    const realm = challenge.params.realm;
    if (realm === undefined || realm === '') {
      throw new AuthError(`${this.host} asked for a Bearer token but named no token server (realm)`);
    }
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new AuthError(`${this.host} named an invalid token server URL: ${realm}`);
    }
    const service = challenge.params.service;
    const found = await this.lookup();
    if (found !== null && url.protocol === 'http:' && !this.registryOverHttp) {
      // The registry is HTTPS: its token server must be too, or the password crosses the network in clear.
      throw new AuthError(
        `refusing to send the credentials for ${this.host} to its token server ${url.origin}${url.pathname} over plain HTTP (the registry itself uses HTTPS)`,
        {
          hint: "the registry's token realm must be an https:// URL: fix the registry's auth configuration, or pull without credentials",
        },
      );
    }
    const issuedAt = this.now();
    let res: HttpResponse;
    if (found?.credentials.identityToken !== undefined) {
      // OAuth2 refresh-token grant (docker login with an identity token).
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: found.credentials.identityToken,
        client_id: 'imgscope',
        ...(service !== undefined ? { service } : {}),
        ...(scope !== '' ? { scope } : {}),
      });
      res = await this.exchange({
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
      });
    } else {
      if (service !== undefined) url.searchParams.set('service', service);
      if (scope !== '') url.searchParams.set('scope', scope);
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (found !== null) {
        const { username, password } = found.credentials;
        headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      }
      res = await this.exchange({ method: 'GET', url, headers });
    }
    if (res.status === 401 || res.status === 403) {
      const said = await describeErrorBody(res.body);
      if (found === null) {
        throw new AuthError(
          `authentication required for ${this.host}: the token server refused anonymous access${said ? ` (${said})` : ''}`,
          {
            hint: 'log in (docker login / podman login) or pass --username and --password-stdin',
          },
        );
      }
      throw new AuthError(
        `authentication failed for ${this.host}: the token server refused the credentials from ${found.origin}${said ? ` (${said})` : ''}`,
        {
          hint: 'check the user name and password, or log in again',
        },
      );
    }
    if (res.status !== 200) {
      const said = await describeErrorBody(res.body);
      throw new AuthError(
        `cannot get a token for ${this.host}: the token server answered HTTP ${res.status}${said ? ` (${said})` : ''}`,
      );
    }
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse((await readSmallBody(res.body, 1024 * 1024)).toString('utf8')) as typeof parsed;
    } catch {
      throw new AuthError(
        `the token server of ${this.host} answered something that is not a token (not JSON)`,
      );
    }
    const value =
      typeof parsed.token === 'string' && parsed.token !== ''
        ? parsed.token
        : typeof parsed.access_token === 'string'
          ? parsed.access_token
          : '';
    if (value === '') throw new AuthError(`the token server of ${this.host} answered without a token`);
    const lifetime =
      typeof parsed.expires_in === 'number' && parsed.expires_in > 0
        ? parsed.expires_in
        : DEFAULT_TOKEN_LIFETIME_S;
    // issued_at is the server's clock; the lifetime is counted from when we asked, on ours.
    return {
      value,
      expiresAt: issuedAt + lifetime * 1000 - Math.min(EXPIRY_MARGIN_MS, (lifetime * 1000) / 4),
    };
  }
}
