import { describe, expect, it } from 'vitest';
import { isNoProxy, proxyForUrl } from '../../../src/registry/proxy.js';
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
} from '../../../src/registry/retry.js';

describe('proxyForUrl', () => {
  const env = {
    HTTPS_PROXY: 'http://proxy:3128',
    http_proxy: 'proxy:8080',
    NO_PROXY: 'internal.example,.corp,10.0.0.1,reg.io:5000',
  };
  it('uses HTTPS_PROXY for https and HTTP_PROXY (either case) for http', () => {
    expect(proxyForUrl(new URL('https://ghcr.io/v2/'), env)).toBe('http://proxy:3128');
    expect(proxyForUrl(new URL('http://ghcr.io/v2/'), env)).toBe('http://proxy:8080');
    expect(proxyForUrl(new URL('https://ghcr.io/v2/'), {})).toBeNull();
  });
  it('honours NO_PROXY names, domain suffixes, addresses and ports', () => {
    expect(proxyForUrl(new URL('https://internal.example/v2/'), env)).toBeNull();
    expect(proxyForUrl(new URL('https://a.internal.example/v2/'), env)).toBeNull();
    expect(proxyForUrl(new URL('https://x.corp/v2/'), env)).toBeNull();
    expect(proxyForUrl(new URL('https://10.0.0.1/v2/'), env)).toBeNull();
    expect(proxyForUrl(new URL('https://reg.io:5000/v2/'), env)).toBeNull();
    expect(proxyForUrl(new URL('https://reg.io/v2/'), env)).toBe('http://proxy:3128');
    expect(proxyForUrl(new URL('https://notinternal.example/v2/'), env)).toBe('http://proxy:3128');
  });
  it('treats * as no proxy at all and matches IPv6 literals', () => {
    expect(isNoProxy(new URL('https://anything/'), '*')).toBe(true);
    expect(isNoProxy(new URL('http://[::1]:5000/'), '::1')).toBe(true);
  });
});

describe('retry policy', () => {
  it('parses Retry-After in seconds and as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
  it('backs off exponentially with jitter inside [ceiling/2, ceiling], capped', () => {
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 0, () => 0)).toBe(125);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 0, () => 1)).toBe(250);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 2, () => 1)).toBe(1000);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 20, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
  it('retries 429, 408 and 5xx but not 501 or 4xx', () => {
    expect([429, 408, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 501].some(isRetryableStatus)).toBe(false);
  });
});
