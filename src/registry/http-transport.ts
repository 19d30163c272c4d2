import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import { Readable, Transform, pipeline } from 'node:stream';
import type { Headers, Response } from 'node-fetch';
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

type NodeFetch = typeof import('node-fetch');

/** node-fetch and its polyfills cost ~55 ms of CPU to load: loaded on the first request, not at every start-up. */
let loadedFetch: Promise<NodeFetch> | null = null;
function nodeFetch(): Promise<NodeFetch> {
  loadedFetch ??= import('node-fetch');
  return loadedFetch;
}

/**
 * The one place requests leave imgscope: node-fetch over keep-alive agents that carry the TLS
 * trust (custom CAs, --insecure) and the proxy. Redirects come back as they are (HttpExchange
 * follows them hop by hop, so no Authorization goes to another host), bodies are the stored
 * bytes (no decompression: digests are of those), and one AbortSignal per request enforces the
 * timeout: for the answer's headers first, then for every pause of the body.
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
    const [{ default: fetch, FetchError }, agent] = await Promise.all([nodeFetch(), this.agentFor(url)]);
    const { timeoutMs } = this.options;
    const abort = new AbortController();
    // The body handed out: every chunk re-arms the timeout, so a stream idle for timeoutMs is an error.
    const body = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        timer.refresh();
        callback(null, chunk);
      },
    });
    let answered = false;
    const timer = setTimeout(() => {
      // A body that went quiet fails with this, not with the AbortError node-fetch gives it.
      if (answered)
        body.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      abort.abort();
    }, timeoutMs);
    // Only a request in flight keeps imgscope running, not its timer.
    timer.unref();
    let res: Response;
    try {
      res = await fetch(url, {
        method: spec.method,
        headers: { 'User-Agent': this.options.userAgent, ...spec.headers },
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        agent,
        redirect: 'manual',
        compress: false,
        signal: abort.signal,
      });
    } catch (error) {
      clearTimeout(timer);
      if (abort.signal.aborted) {
        throw new TransportFailure(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT', error);
      }
      if (!(error instanceof FetchError)) throw error;
      // node-fetch says "request to URL failed, reason: WHY"; the message names the host itself.
      const why = error.message.replace(/^request to \S+ failed, reason: /, '');
      throw new TransportFailure(why, error.code ?? 'EUNKNOWN', error);
    }
    answered = true;
    pipeline(res.body ?? Readable.from([]), body, () => clearTimeout(timer));
    return { status: res.status, headers: incomingHeaders(res.headers), body, url };
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

type TunnelConnectOptions = Parameters<import('https-proxy-agent').HttpsProxyAgent<string>['connect']>[1];

/**
 * A CONNECT tunnel through `proxy` whose TLS to the registry keeps imgscope's trust (CAs,
 * --insecure). HttpsProxyAgent reads those from each request's options, which node-fetch does not
 * pass, and not from its own (they would go to the proxy's TLS instead), so it gets them here.
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
function incomingHeaders(headers: Headers): http.IncomingHttpHeaders {
  return Object.fromEntries(headers);
}
