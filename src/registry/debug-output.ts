import debug from 'debug';
import { formatWithOptions } from 'node:util';
import { redactCredentials } from './redact.js';

/**
 * DEBUG=… turns on the libraries' own logs, which print proxy URLs with their password and whole
 * request headers (http-proxy-agent): every line goes through the credential mask first.
 */
export function redactDebugOutput(): void {
  // The instance oclif and the proxy agents log through: the one module cache unbundled, the
  // one copy in dist/chunks/ bundled (scripts/bundle-commands.js bundles all three with it), or
  // in a layer worker the copy in its own bundle (worker.ts calls this there).
  debug.log = (...args: unknown[]) =>
    process.stderr.write(redactCredentials(formatWithOptions(debug.inspectOpts ?? {}, ...args)) + '\n');
}
