/**
 * What a test needs from the host beyond Node (IPv6 loopback, the 127.0.0.2 alias, a closed
 * port), detected rather than assumed. A host that lacks one skips the test with a visible
 * reason; in CI (CI set) the runner must have it, so the test fails instead of skipping.
 */
import net from 'node:net';

/** Whether a server can listen on `address` (any free port). */
export async function canListen(address: string): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}

/** Whether a connection to `host:port` is refused (nothing listens there). */
export async function connectionRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** True (skip) when the host lacks `feature`, saying so; throws in CI, where nothing may be skipped. */
export function hostLacks(feature: string, available: boolean): boolean {
  if (available) return false;
  if (process.env.CI) throw new Error(`this test must run in CI but the host lacks ${feature}`);
  console.warn(`skipping a test: the host lacks ${feature}`);
  return true;
}
