import { UsageError } from '../errors.js';

/**
 * A flag value its parser refused. oclif rewrites the message of an error thrown by a flag
 * parser into three lines ("Parsing --top", the reason, "See more help"), so the one line to
 * show is kept in `line` as well.
 */
export class FlagValueError extends UsageError {
  readonly line: string;

  constructor(flag: string, reason: string, input: string) {
    const line = `--${flag} ${reason}, got ${JSON.stringify(input)}`;
    super(line);
    this.line = line;
  }
}
