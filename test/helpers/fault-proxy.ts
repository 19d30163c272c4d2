/**
 * A loopback HTTP proxy in front of a real registry that injects faults: statuses (429, 503),
 * connection resets in the middle of a body, wrong bytes, slow bodies, silence, redirects to a
 * second "storage" host (127.0.0.2, when the host has that loopback alias) that records whether
 * it got an Authorization header. The client's Authorization goes through to the registry, which
 * checks it (run the registry with htpasswd or token auth to test credentials).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultAction =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { resetAfterBytes: number }
  | { corruptByteAt: number }
  | { bytesPerSecond: number }
  | { redirectToStorage: true }
  /** Sends the status line, headers and this many body bytes, then nothing more, keeping the connection open. */
  | { stallAfterBytes: number }
  /** Accepts the request and never answers: no status line, no headers. */
  | { silence: true }
  /** Forwards the body untouched under a Content-Length header that says this instead. */
  | { contentLength: number };

/** The second loopback address the storage side listens on. */
export const STORAGE_ADDRESS = '127.0.0.2';

export interface RecordedRequest {
  server: 'registry' | 'storage';
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FaultProxy {
  host: string;
  storageHost: string;
  requests: RecordedRequest[];
  /** Decide what to do with a request to the registry side; undefined forwards it untouched. */
  fault: (req: RecordedRequest) => FaultAction | undefined;
  /** Forwards everything again and forgets the requests seen: what one test did, undone for the next. */
  reset: () => void;
  stop: () => Promise<void>;
}

export interface FaultProxyOptions {
  /** Address of the registry side (default 127.0.0.1; "::1" for IPv6). */
  listen?: string;
  /**
   * Authorization the storage side sends upstream on its own account (as a CDN holds its own
   * access to the bytes), for registries that demand credentials; the client's never goes there.
   */
  storageAuthorization?: string;
  /** Bytes per second that all response bodies share, as one slow link would (benchmarks). */
  bandwidth?: number;
}

/** One link's bandwidth shared by every response: each chunk waits for its slot on the wire. */
class SharedLink {
  #free = 0;
  constructor(readonly bytesPerSecond: number) {}

  /** Milliseconds until `bytes` have crossed the link, queued behind what is already on it. */
  reserve(bytes: number): number {
    const now = performance.now();
    this.#free = Math.max(now, this.#free) + (bytes / this.bytesPerSecond) * 1000;
    return this.#free - now;
  }
}

function forward(
  upstream: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  action: FaultAction | undefined,
  authorization: string | undefined,
  link?: SharedLink,
): void {
  const headers = { ...req.headers, host: upstream };
  delete headers.authorization;
  if (authorization !== undefined) headers.authorization = authorization;
  const out = http.request(`http://${upstream}${path}`, { method: req.method, headers }, (up) => {
    const upHeaders = { ...up.headers };
    if (action !== undefined && 'contentLength' in action) {
      upHeaders['content-length'] = String(action.contentLength);
    }
    res.writeHead(up.statusCode ?? 502, upHeaders);
    let seen = 0;
    if (action !== undefined && 'stallAfterBytes' in action) {
      res.flushHeaders();
      up.on('data', (chunk: Buffer) => {
        const room = action.stallAfterBytes - seen;
        if (room > 0) res.write(chunk.subarray(0, room));
        seen += chunk.length;
      });
      return;
    }
    if (action !== undefined && 'bytesPerSecond' in action) {
      up.on('data', (chunk: Buffer) => {
        up.pause();
        res.write(chunk);
        setTimeout(() => up.resume(), Math.ceil((chunk.length / action.bytesPerSecond) * 1000));
      });
      up.on('end', () => res.end());
      return;
    }
    if (link !== undefined && action === undefined) {
      // The last chunk may still wait for its slot when the upstream ends: the end follows it.
      let queued = Promise.resolve();
      up.on('data', (chunk: Buffer) => {
        up.pause();
        const wait = link.reserve(chunk.length);
        queued = new Promise((sent) =>
          setTimeout(() => {
            res.write(chunk);
            up.resume();
            sent();
          }, wait),
        );
      });
      up.on('end', () => void queued.then(() => res.end()));
      return;
    }
    up.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (
        action !== undefined &&
        'resetAfterBytes' in action &&
        seen + data.length > action.resetAfterBytes
      ) {
        res.write(data.subarray(0, Math.max(0, action.resetAfterBytes - seen)));
        seen = action.resetAfterBytes;
        // Let the partial bytes leave, then cut the connection hard.
        setTimeout(() => res.socket?.resetAndDestroy(), 20);
        up.destroy();
        return;
      }
      if (action !== undefined && 'corruptByteAt' in action) {
        const at = action.corruptByteAt - seen;
        if (at >= 0 && at < data.length) {
          data = Buffer.from(data);
          data[at] = (data[at] ?? 0) ^ 0xff;
        }
      }
      seen += data.length;
      if (!res.write(data)) {
        up.pause();
        res.once('drain', () => up.resume());
      }
    });
    up.on('end', () => res.end());
  });
  out.on('error', () => res.destroy());
  req.pipe(out);
}

export async function startFaultProxy(
  upstream: string,
  options: FaultProxyOptions = {},
): Promise<FaultProxy> {
  const requests: RecordedRequest[] = [];
  const link = options.bandwidth === undefined ? undefined : new SharedLink(options.bandwidth);
  const state: FaultProxy = {
    host: '',
    storageHost: '',
    requests,
    fault: () => undefined,
    reset: () => {
      state.fault = () => undefined;
      requests.length = 0;
    },
    stop: async () => undefined,
  };
  const registry = http.createServer((req, res) => {
    const recorded: RecordedRequest = {
      server: 'registry',
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
    };
    requests.push(recorded);
    const action = state.fault(recorded);
    if (action !== undefined && 'status' in action) {
      res.writeHead(action.status, { 'Content-Type': 'application/json', ...action.headers });
      res.end(
        action.body ??
          JSON.stringify({ errors: [{ code: 'INJECTED', message: `injected ${action.status}` }] }),
      );
      return;
    }
    if (action !== undefined && 'silence' in action) return;
    if (action !== undefined && 'redirectToStorage' in action) {
      if (state.storageHost === '') throw new Error('no storage host: the host lacks 127.0.0.2');
      res.writeHead(307, { Location: `http://${state.storageHost}/storage${recorded.path}` });
      res.end();
      return;
    }
    forward(upstream, req, res, recorded.path, action, req.headers.authorization, link);
  });
  const storage = http.createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/storage/, '');
    requests.push({ server: 'storage', method: req.method ?? 'GET', path, headers: req.headers });
    forward(upstream, req, res, path, undefined, options.storageAuthorization);
  });
  const listen = options.listen ?? '127.0.0.1';
  await new Promise<void>((resolve) => registry.listen(0, listen, resolve));
  // The storage side needs a second loopback address (tests needing it check canListen first).
  const storageListens = await new Promise<boolean>((resolve) => {
    storage.once('error', () => resolve(false));
    storage.listen(0, STORAGE_ADDRESS, () => resolve(true));
  });
  const port = (registry.address() as AddressInfo).port;
  state.host = listen.includes(':') ? `[${listen}]:${port}` : `${listen}:${port}`;
  state.storageHost = storageListens ? `${STORAGE_ADDRESS}:${(storage.address() as AddressInfo).port}` : '';
  state.stop = async () => {
    registry.closeAllConnections();
    storage.closeAllConnections();
    await Promise.all([
      new Promise((r) => registry.close(() => r(undefined))),
      storageListens ? new Promise((r) => storage.close(() => r(undefined))) : undefined,
    ]);
  };
  return state;
}

export interface ForwardProxy {
  url: string;
  /** "METHOD host/path" of every request that went through, CONNECT tunnels included. */
  seen: string[];
  stop: () => Promise<void>;
}

/** A forward proxy (what HTTP_PROXY/HTTPS_PROXY point at): absolute-URI requests and CONNECT tunnels. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    seen.push(`${req.method ?? 'GET'} ${target.host}${target.pathname}`);
    const out = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connect', (req: http.IncomingMessage, socket: import('node:net').Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url ?? ''}`);
    const [host, port] = (req.url ?? '').split(':');
    import('node:net').then(
      ({ connect }) => {
        const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(socket);
          socket.pipe(upstream);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}
