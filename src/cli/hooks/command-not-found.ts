import type { Hook } from '@oclif/core';
import { EXIT_CODES } from '../../errors.js';
import { unknownCommandMessage } from '../unknown-command.js';

/**
 * A mistyped command: one line naming the likely command, exit 2. Never a prompt (the usual
 * plugin asks "did you mean...?" on a terminal), so scripts and CI fail the same way people do.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  process.stderr.write(`imgscope: error: ${unknownCommandMessage(options.id, options.config)}\n`);
  process.exitCode = EXIT_CODES.badInput;
};

export default hook;
