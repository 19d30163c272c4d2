import { ConfigError, EXIT_CODES, ImgscopeError } from '../errors.js';
import { redactCredentials } from '../registry/index.js';

export interface Failure {
  line: string;
  exitCode: number;
}

/** oclif's own errors (unknown flag, missing argument) carry an exit code of 2 and an `oclif` field. */
interface OclifError {
  oclif?: { exit?: number };
  message: string;
}

/**
 * One line for stderr and the exit code, for anything a command throws: our errors keep their
 * code, oclif's usage errors are exit 2, anything else is a bug (exit 70, stack only with DEBUG).
 */
export function describeFailure(err: unknown, debug: boolean): Failure {
  if (err instanceof ImgscopeError) {
    const hint = err.hint === undefined ? '' : ` (${err.hint})`;
    // A configuration error lists every problem of the user's own files, one per line.
    const text =
      err instanceof ConfigError ? err.message.split('\n').map(oneLine).join('\n') : oneLine(err.message);
    // Messages quote servers and helpers, which may echo a credential back: mask it.
    return { line: redactCredentials(`imgscope: error: ${text}${oneLine(hint)}`), exitCode: err.exitCode };
  }
  const oclif = (err as OclifError | null)?.oclif;
  if (oclif !== undefined && err instanceof Error) {
    const first = err.message.split('\n')[0] ?? err.message;
    return {
      line: `imgscope: error: ${oneLine(first)} (see --help)`,
      exitCode: oclif.exit ?? EXIT_CODES.badInput,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  return {
    line: redactCredentials(
      `imgscope: internal error: ${oneLine(message)} (this is a bug; run with DEBUG=1 for details and report it)${stack}`,
    ),
    exitCode: EXIT_CODES.bug,
  };
}

/**
 * Messages quote hostile input (entry names, JSON parser excerpts): control characters are
 * escaped so the error stays one line and cannot drive the terminal.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
