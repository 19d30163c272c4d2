#!/usr/bin/env node
import module from 'node:module';

// Node >= 22.1 keeps compiled code on disk between runs: a faster start from the second run on.
module.enableCompileCache?.();
// The parts of oclif a run needs, not its index (which loads help, ux and more besides).
const [{ run }, { flush }, Errors] = await Promise.all([
  import('@oclif/core/run'),
  import('@oclif/core/flush'),
  import('@oclif/core/errors'),
]);

try {
  await run(process.argv.slice(2), import.meta.url);
  await flush();
} catch (error) {
  // Our commands report their own failures; what reaches here (a plugin command's usage error,
  // oclif failing to start) gets the same one line and exit code.
  if (error instanceof Errors.ExitError) {
    process.exitCode = error.oclif.exit;
  } else {
    // Loaded only here: a run that succeeds does not pay for it.
    const { describeFailure } = await import('../dist/cli/failure.js');
    const { line, exitCode } = describeFailure(error, Boolean(process.env.DEBUG));
    process.stderr.write(line + '\n');
    process.exitCode = exitCode;
  }
}
