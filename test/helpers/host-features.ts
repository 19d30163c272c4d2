/**
 * What a test needs from the host beyond Node (IPv6 loopback, the 127.0.0.2 alias, a closed
 * port, programs on PATH), detected rather than assumed. A host that lacks one skips the test
 * with a visible reason; in CI (CI set) the runner must have it, so the test fails instead of
 * skipping.
 */
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

/** Whether `program` is an executable in a directory of PATH. */
export function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Why the tests named `what` cannot run here (which of `programs` are not on PATH), or null
 * when they can; says so when they skip, and throws in CI, whose runner installs them all.
 */
export function missingToolsReason(what: string, programs: string[]): string | null {
  const missing = programs.filter((program) => !onPath(program));
  if (missing.length === 0) return null;
  const why = `${missing.join(', ')} not installed (run .ci/install-registry-deps.sh)`;
  if (process.env.CI) throw new Error(`${what} must run in CI but ${why}`);
  console.warn(`skipping ${what}: ${why}`);
  return why;
}

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
