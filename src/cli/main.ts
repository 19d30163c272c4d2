import { flush } from '@oclif/core/flush';
import { run } from '@oclif/core/run';
import { describeFailure } from './failure.js';

/**
 * What bin/run.js runs: oclif's `run` (the parts of oclif a run needs, not its index, which loads
 * help, ux and more besides). Bundled with oclif itself (scripts/bundle-commands.js), so a start
 * loads a few files, not hundreds. `bin` is bin/run.js's URL: oclif finds the package from it.
 */
export async function main(bin: string): Promise<void> {
  try {
    await run(process.argv.slice(2), bin);
    await flush();
  } catch (error) {
    // Our commands report their own failures; what reaches here (a plugin command's usage error,
    // oclif failing to start) gets the same one line and exit code. A plugin has its own copy of
    // @oclif/core, so its errors are known by their shape, not by class.
    const { code, oclif } = (error ?? {}) as { code?: unknown; oclif?: { exit?: unknown } };
    if (code === 'EEXIT' && typeof oclif?.exit === 'number') {
      process.exitCode = oclif.exit;
    } else {
      const { line, exitCode } = describeFailure(error, Boolean(process.env['DEBUG']));
      process.stderr.write(line + '\n');
      process.exitCode = exitCode;
    }
  }
}
