import { describeFailure } from './failure.js';

/**
 * What reaches the top of a run: our commands report their own failures, so this is a plugin
 * command's usage error or oclif failing to start. It gets the same one line and exit code. A
 * plugin has its own copy of @oclif/core, so its errors are known by their shape, not by class.
 */
export function reportUncaught(error: unknown): void {
  const { code, oclif } = (error ?? {}) as { code?: unknown; oclif?: { exit?: unknown } };
  if (code === 'EEXIT' && typeof oclif?.exit === 'number') {
    process.exitCode = oclif.exit;
  } else {
    const { line, exitCode } = describeFailure(error, Boolean(process.env['DEBUG']));
    process.stderr.write(line + '\n');
    process.exitCode = exitCode;
  }
}
