import { createRequire } from 'node:module';
import { type InspectOptions, formatWithOptions } from 'node:util';
import { redactCredentials } from '../registry/redact.js';

/** The part of the `debug` package (what oclif and the proxy agents log through) this touches. */
interface DebugModule {
  log: (...args: unknown[]) => unknown;
  inspectOpts?: InspectOptions;
}

/**
 * DEBUG=… turns on the libraries' own logs, which print proxy URLs with their password and whole
 * request headers (http-proxy-agent): every line goes through the credential mask first.
 */
export function redactDebugOutput(): void {
  // The same instance oclif and the agents loaded (CommonJS, one module cache).
  const debug = createRequire(import.meta.url)('debug') as DebugModule;
  debug.log = (...args: unknown[]) =>
    process.stderr.write(redactCredentials(formatWithOptions(debug.inspectOpts ?? {}, ...args)) + '\n');
}
