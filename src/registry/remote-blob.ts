import type { Readable } from 'node:stream';
import type { Descriptor } from '../model/index.js';
import { BlobCache, type BlobCacheSettings } from './blob-cache.js';
import { createBlobDownload } from './blob-download.js';
import { HttpExchange } from './http-exchange.js';
import { HttpTransport, type TransportOptions } from './http-transport.js';
import { discardBody } from './response-body.js';
import type { RetryPolicy } from './retry.js';

/**
 * Everything another thread needs to download one blob itself, as plain data: the blob's URL on
 * the registry with the Authorization the main thread's client holds for it, the transport's
 * trust, proxy and timeouts, and the retry policy. A layer worker fetches its layer with it, so
 * the bytes never cross the main thread (no copy, no transfer, no second event loop in the way).
 */
export interface RemoteBlob {
  descriptor: Descriptor;
  /** "HOST/REPO", for messages. */
  where: string;
  /** The registry's name, for messages. */
  registry: string;
  url: string;
  /** The request's headers (Authorization, when the registry asked for one). */
  headers: Record<string, string>;
  transport: TransportOptions;
  retry: RetryPolicy;
  /** The blob cache the download is also written into (as `BlobCache.tee` does); null with --no-cache. */
  cache: BlobCacheSettings | null;
}

/** The blob's stream and what became of the request: `refused` when the registry did not answer 200 or 206. */
export interface RemoteDownload {
  /** The verified bytes, written into the cache on the way when the blob names one. */
  stream: Readable;
  /** True once the registry answered anything but the blob: the main thread's client then fetches it, and says why. */
  readonly refused: boolean;
}

/** The answer another thread cannot act on (a 401 on an expired token, a 404): the main thread's client asks again. */
class RefusedAnswer extends Error {}

/**
 * This thread's exchanges, one per set of transport settings and retry policy: a worker's later
 * blobs reuse the connections its first one opened (to the registry, and to the storage it
 * redirects to) instead of connecting, and shaking hands over TLS, again for each blob. They
 * live as long as the thread: a layer worker is stopped when the reads are done.
 */
const exchanges = new Map<string, HttpExchange>();

function exchangeFor(remote: RemoteBlob): HttpExchange {
  const key = JSON.stringify([remote.transport, remote.retry]);
  let exchange = exchanges.get(key);
  if (exchange === undefined) {
    exchange = new HttpExchange(new HttpTransport(remote.transport), remote.retry);
    exchanges.set(key, exchange);
  }
  return exchange;
}

/**
 * Downloads a blob from another thread exactly as `RegistryClient.openBlob` does (retries,
 * redirects, resumption, size and digest checks) and `RegistrySource` caches it, except that an answer other than the blob
 * marks it `refused` instead of being explained here: authentication and the registry's own
 * error messages stay with the main thread's client.
 */
export async function openRemoteBlob(
  remote: RemoteBlob,
  onBytes?: (bytes: number) => void,
): Promise<RemoteDownload> {
  const exchange = exchangeFor(remote);
  let refused = false;
  const url = new URL(remote.url);
  const stream = createBlobDownload({
    descriptor: remote.descriptor,
    where: remote.where,
    registry: remote.registry,
    idleTimeoutMs: remote.transport.timeoutMs,
    retry: remote.retry,
    ...(onBytes !== undefined ? { onBytes } : {}),
    fetch: async (offset) => {
      const headers = offset > 0 ? { ...remote.headers, Range: `bytes=${offset}-` } : remote.headers;
      const res = await exchange.send({ method: 'GET', url, headers });
      if (res.status === 200 || res.status === 206) return res;
      discardBody(res.body);
      refused = true;
      throw new RefusedAnswer(`HTTP ${res.status}`);
    },
  });
  const { cache, descriptor } = remote;
  return {
    stream:
      cache === null
        ? stream
        : await new BlobCache(cache.root, cache).tee(stream, descriptor.digest, descriptor.size),
    get refused() {
      return refused;
    },
  };
}
