import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import type { Readable } from 'node:stream';
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
  body: Readable;
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

/** The connection's own failure behind a NetworkError (its cause), or null. */
export function transportFailureOf(error: unknown): TransportFailure | null {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof TransportFailure ? cause : null;
}

/** The timeout behind a NetworkError (no data for the whole timeout, on every try), or null. */
export function timeoutFailure(error: unknown): TransportFailure | null {
  const failure = transportFailureOf(error);
  return failure?.errno === 'ETIMEDOUT' ? failure : null;
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
 * The one place requests leave imgscope: Node's own `http`/`https` client over keep-alive agents
 * that carry the TLS trust (custom CAs, --insecure) and the proxy. Redirects come back as they
 * are (HttpExchange follows them hop by hop, so no Authorization goes to another host), bodies are
 * the stored bytes as the socket delivers them (never decoded: digests are of those; no stream
 * stage between the socket's parser and the reader), and the socket's idle timeout bounds
 * connecting, waiting for the answer's headers and every pause of the body.
 */
export class HttpTransport {
  private readonly agents = new Map<string, http.Agent>();
  private tls: Promise<https.AgentOptions> | null = null;

  constructor(private readonly options: TransportOptions) {}

  /** The TLS trust of every agent, made on the first request (node:tls loads with it). */
  private trust(): Promise<https.AgentOptions> {
    this.tls ??= (async () => {
      const trust: https.AgentOptions = { rejectUnauthorized: !this.options.skipTlsVerify };
      if (this.options.caCerts.length > 0) {
        // Passing `ca` replaces node's default store, so add it back: the bundled roots and NODE_EXTRA_CA_CERTS.
        trust.ca = [...(await defaultCaCertificates(this.options.env)), ...this.options.caCerts];
      }
      return trust;
    })();
    return this.tls;
  }

  private async agentFor(url: URL): Promise<http.Agent> {
    const proxy = proxyForUrl(url, this.options.env);
    const key = `${url.protocol}|${proxy ?? ''}`;
    let agent = this.agents.get(key);
    if (agent === undefined) {
      const common = { keepAlive: true, maxSockets: 16 };
      const secure = url.protocol === 'https:';
      // Node's http, https and tls are loaded by the first request, not by every start-up: a run
      // on a local file never needs them, and on Node 24 importing them costs 20-50 ms.
      if (proxy !== null) {
        // Loaded only when a proxy is in use: the two packages cost 40 ms of every start-up.
        agent = secure
          ? await tunnellingAgent(proxy, common, await this.trust())
          : new (await import('http-proxy-agent')).HttpProxyAgent(proxy, common);
      } else if (secure) {
        agent = new (await import('node:https')).Agent({ ...common, ...(await this.trust()) });
      } else {
        agent = new (await import('node:http')).Agent(common);
      }
      // Two requests may have raced through the import: keep the first agent.
      agent = this.agents.get(key) ?? agent;
      this.agents.set(key, agent);
    }
    return agent;
  }

  async request(spec: RequestSpec): Promise<HttpResponse> {
    const { url } = spec;
    const [client, agent] = await Promise.all([
      url.protocol === 'https:' ? import('node:https') : import('node:http'),
      this.agentFor(url),
    ]);
    const { timeoutMs } = this.options;
    const headers: Record<string, string> = {
      Accept: '*/*',
      'User-Agent': this.options.userAgent,
      ...spec.headers,
    };
    if (spec.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(spec.body));
    return new Promise<HttpResponse>((resolve, reject) => {
      const timedOut = (): Error =>
        Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      let answer: http.IncomingMessage | null = null;
      const req = client.request(url, { method: spec.method, headers, agent, timeout: timeoutMs }, (res) => {
        answer = res;
        resolve({ status: res.statusCode ?? 0, headers: incomingHeaders(res), body: res, url });
      });
      // No data for timeoutMs on the socket (connecting, waiting for the headers, or within the body).
      req.on('timeout', () => {
        if (answer !== null) answer.destroy(timedOut());
        else req.destroy(timedOut());
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (answer !== null) return;
        reject(new TransportFailure(error.message, error.code ?? 'EUNKNOWN', error));
      });
      req.end(spec.body);
    });
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

type TunnelConnectOptions = Parameters<import('https-proxy-agent').HttpsProxyAgent<string>['connect']>[1];

/**
 * A CONNECT tunnel through `proxy` whose TLS to the registry keeps imgscope's trust (CAs,
 * --insecure). HttpsProxyAgent reads those from each request's options, which our requests do not
 * carry (the agent does), and not from its own (they would go to the proxy's TLS instead), so it gets them here.
 */
async function tunnellingAgent(
  proxy: string,
  options: http.AgentOptions,
  registryTls: https.AgentOptions,
): Promise<http.Agent> {
  const { HttpsProxyAgent } = await import('https-proxy-agent');
  return new (class extends HttpsProxyAgent<string> {
    override connect(req: http.ClientRequest, opts: TunnelConnectOptions) {
      return super.connect(req, { ...opts, ...registryTls });
    }
  })(proxy, options);
}

async function defaultCaCertificates(env: NodeJS.ProcessEnv): Promise<string[]> {
  const certs = [...(await import('node:tls')).rootCertificates];
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

/** The answer's headers as node names them: lower case, repeated ones joined with ", ". */
function incomingHeaders(res: http.IncomingMessage): http.IncomingHttpHeaders {
  const headers: http.IncomingHttpHeaders = {};
  for (const [name, values] of Object.entries(res.headersDistinct)) headers[name] = values?.join(', ');
  return headers;
}
