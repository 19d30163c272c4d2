import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A plain HTTP server on 127.0.0.1 for a client's unit tests, counting the connections made to
 * it and those that did not speak HTTP.
 */
export interface LoopbackServer {
  /** "http://127.0.0.1:PORT". */
  readonly base: string;
  /** Connections accepted so far (a test may set it back to 0). */
  connections: number;
  /** Connections whose bytes were not an HTTP request (a TLS client hello is one), answered 400. */
  notHttp: number;
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: http.RequestListener): Promise<LoopbackServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const started: LoopbackServer = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: 0,
    notHttp: 0,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  server.on('connection', () => (started.connections += 1));
  server.on('clientError', (_error, socket) => {
    started.notHttp += 1;
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return started;
}
