import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { proxyForUrl } from './proxy.js';

export interface TransportOptions {
  /** Extra trusted CAs (PEM); the system store and NODE_EXTRA_CA_CERTS stay trusted. */
  caCerts: string[];
  /** Skip TLS verification (only with --insecure). */
  skipTlsVerify: boolean;
  /** Connect / response / idle-body timeout. */
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  userAgent: string;
}

/** One HTTP exchange: headers are in, the body is still to be read (or destroyed). */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
  url: URL;
}

export interface RequestSpec {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** An error of the connection itself (refused, reset, TLS, timeout): worth retrying unless it is TLS. */
export class TransportFailure extends Error {
  readonly errno: string;
  /** Tries the request made before giving up; HttpExchange sets it. */
  attempts = 1;
  constructor(message: string, errno: string, cause?: unknown) {
    super(message, { cause });
    this.errno = errno;
  }
}

/** The timeout behind a NetworkError (no data for the whole timeout, on every try), or null. */
export function timeoutFailure(error: unknown): TransportFailure | null {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof TransportFailure && cause.errno === 'ETIMEDOUT' ? cause : null;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
]);

export function isTlsVerificationFailure(errno: string): boolean {
  return TLS_CODES.has(errno);
}

/**
 * node's http/https rather than fetch: the registry client needs per-request control over
 * redirects (no Authorization to another host), Range resumes on a live socket, custom CAs
 * and proxy agents, and an idle timeout on a streaming body.
 */
export class HttpTransport {
  private readonly agents = new Map<string, http.Agent>();
  private readonly ca: string[] | undefined;

  constructor(private readonly options: TransportOptions) {
    this.ca = undefined;
    if (options.caCerts.length > 0) {
      // Passing `ca` replaces node's default store, so add it back: the bundled roots and NODE_EXTRA_CA_CERTS.
      this.ca = [...defaultCaCertificates(options.env), ...options.caCerts];
    }
  }

  private async agentFor(url: URL): Promise<http.Agent> {
    const proxy = proxyForUrl(url, this.options.env);
    const key = `${url.protocol}|${proxy ?? ''}`;
    let agent = this.agents.get(key);
    if (agent === undefined) {
      const common = { keepAlive: true, maxSockets: 16 };
      if (proxy !== null) {
        // Loaded only when a proxy is in use: the two packages cost 40 ms of every start-up.
        agent =
          url.protocol === 'https:'
            ? new (await import('https-proxy-agent')).HttpsProxyAgent(proxy, common)
            : new (await import('http-proxy-agent')).HttpProxyAgent(proxy, common);
      } else {
        agent = url.protocol === 'https:' ? new https.Agent(common) : new http.Agent(common);
      }
      // Two requests may have raced through the import: keep the first agent.
      agent = this.agents.get(key) ?? agent;
      this.agents.set(key, agent);
    }
    return agent;
  }

  async request(spec: RequestSpec): Promise<HttpResponse> {
    const { url } = spec;
    const agent = await this.agentFor(url);
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { 'User-Agent': this.options.userAgent, ...spec.headers };
    if (spec.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(spec.body));
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = lib.request(url, {
        method: spec.method,
        headers,
        agent,
        timeout: this.options.timeoutMs,
        ...(url.protocol === 'https:'
          ? { rejectUnauthorized: !this.options.skipTlsVerify, ...(this.ca ? { ca: this.ca } : {}) }
          : {}),
      });
      let response: http.IncomingMessage | undefined;
      req.on('timeout', () => {
        const error = Object.assign(new Error(`no answer within ${this.options.timeoutMs} ms`), {
          code: 'ETIMEDOUT',
        });
        // A body that went quiet fails with this, not with the "aborted" reset req.destroy leaves it.
        if (response !== undefined && !response.complete) response.destroy(error);
        req.destroy(error);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(new TransportFailure(error.message, error.code ?? 'EUNKNOWN', error));
      });
      req.on('response', (res) => {
        response = res;
        // The request timeout covers the body too: an idle stream for timeoutMs is an error.
        res.socket?.setTimeout(this.options.timeoutMs);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
      });
      req.end(spec.body);
    });
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

function defaultCaCertificates(env: NodeJS.ProcessEnv): string[] {
  const certs = [...tls.rootCertificates];
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      certs.push(readFileSync(extra, 'utf8'));
    } catch {
      // node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same by ignoring it.
    }
  }
  return certs;
}
