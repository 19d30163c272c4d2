#!/usr/bin/env node
import { Errors, flush, run } from '@oclif/core';
import { describeFailure } from '../dist/cli/failure.js';

try {
  await run(process.argv.slice(2), import.meta.url);
  await flush();
} catch (error) {
  // Our commands report their own failures; what reaches here (a plugin command's usage error,
  // oclif failing to start) gets the same one line and exit code.
  if (error instanceof Errors.ExitError) {
    process.exitCode = error.oclif.exit;
  } else {
    const { line, exitCode } = describeFailure(error, Boolean(process.env.DEBUG));
    process.stderr.write(line + '\n');
    process.exitCode = exitCode;
  }
}
