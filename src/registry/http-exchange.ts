import { NetworkError, RegistryError } from '../errors.js';
import {
  type HttpResponse,
  type HttpTransport,
  type RequestSpec,
  TransportFailure,
  isTlsVerificationFailure,
} from './http-transport.js';
import { discardBody } from './response-body.js';
import {
  type RetryPolicy,
  backoffDelay,
  isRetryableErrno,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
} from './retry.js';

const MAX_REDIRECTS = 10;

/**
 * One logical HTTP request: retried with backoff and jitter on 429 (honouring Retry-After),
 * 5xx and connection errors; redirects followed, the Authorization header kept only for the
 * origin it was meant for. Connection failures become NetworkErrors that say what to check.
 */
export class HttpExchange {
  constructor(
    private readonly transport: HttpTransport,
    private readonly retry: RetryPolicy,
  ) {}

  /** One request with retries (429 with Retry-After, 5xx, connection errors) and redirects. */
  async send(spec: RequestSpec, attempts = this.retry.attempts): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= attempts;
      let res: HttpResponse;
      try {
        res = await this.followRedirects(spec);
      } catch (error) {
        if (!(error instanceof TransportFailure)) throw error;
        if (!last && isRetryableErrno(error.errno)) {
          await sleep(backoffDelay(this.retry, attempt));
          continue;
        }
        error.attempts = attempt + 1;
        throw this.networkError(spec.url, error);
      }
      if (!last && isRetryableStatus(res.status)) {
        const header = res.headers['retry-after'];
        const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header);
        const wait = Math.max(retryAfter ?? 0, backoffDelay(this.retry, attempt));
        if (retryAfter === null || retryAfter <= this.retry.maxRetryAfterMs) {
          discardBody(res.body);
          await sleep(wait);
          continue;
        }
      }
      return res;
    }
  }

  private networkError(url: URL, failure: TransportFailure): NetworkError {
    if (isTlsVerificationFailure(failure.errno)) {
      return new NetworkError(`TLS verification failed for ${url.host}: ${failure.message}`, {
        cause: failure,
        hint: 'trust the registry CA with --ca-cert FILE or NODE_EXTRA_CA_CERTS, or use --insecure for a test registry',
      });
    }
    return new NetworkError(`cannot reach ${url.host}: ${failure.errno} (${failure.message})`, {
      cause: failure,
      hint: 'check the host name, the network and HTTPS_PROXY/NO_PROXY; run again to retry',
    });
  }

  /** Follows 3xx; the Authorization header goes only to the registry's own origin. */
  private async followRedirects(spec: RequestSpec): Promise<HttpResponse> {
    const origin = spec.url.origin;
    let current = spec;
    for (let hop = 0; ; hop++) {
      const res = await this.transport.request(current);
      const location = res.headers.location;
      if (![301, 302, 303, 307, 308].includes(res.status) || location === undefined) return res;
      discardBody(res.body);
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryError(`too many redirects from ${spec.url.host} (more than ${MAX_REDIRECTS})`);
      }
      const next = new URL(location, current.url);
      // Only another HTTP(S) URL: not data: or file:, and no user:password@ of its own to send.
      if (!['http:', 'https:'].includes(next.protocol) || next.username !== '' || next.password !== '') {
        throw new RegistryError(
          `${spec.url.host} redirected to a URL imgscope does not follow (${next.protocol})`,
        );
      }
      const headers = { ...current.headers };
      if (next.origin !== origin) delete headers.Authorization;
      // A body is a token request's form, with the refresh token: it goes to no other origin.
      if (next.origin !== origin && res.status !== 303 && current.body !== undefined) {
        throw new RegistryError(
          `${spec.url.host} redirected a request carrying credentials to ${next.origin}; imgscope does not follow it`,
        );
      }
      current = {
        method: res.status === 303 ? 'GET' : current.method,
        url: next,
        headers,
        ...(res.status === 303 ? {} : current.body !== undefined ? { body: current.body } : {}),
      };
    }
  }

  close(): void {
    this.transport.close();
  }
}
