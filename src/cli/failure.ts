import { EXIT_CODES, ImgscopeError } from '../errors.js';

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
    return { line: `imgscope: error: ${err.message}${hint}`, exitCode: err.exitCode };
  }
  const oclif = (err as OclifError | null)?.oclif;
  if (oclif !== undefined && err instanceof Error) {
    const first = err.message.split('\n')[0] ?? err.message;
    return { line: `imgscope: error: ${first} (see --help)`, exitCode: oclif.exit ?? EXIT_CODES.badInput };
  }
  const message = err instanceof Error ? err.message : String(err);
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  return {
    line: `imgscope: internal error: ${message} (this is a bug; run with DEBUG=1 for details and report it)${stack}`,
    exitCode: EXIT_CODES.bug,
  };
}
