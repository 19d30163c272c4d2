import { Command } from '@oclif/core/command';
import { redactDebugOutput } from '../registry/debug-output.js';
import { describeFailure } from './failure.js';
import { stdoutColumns, writeStdout } from './standard-streams.js';

/** Every command reports failures as one stderr line and a documented exit code (docs/architecture.md, "Errors and exit codes"). */
export abstract class BaseCommand extends Command {
  protected override async init(): Promise<void> {
    if (process.env['DEBUG']) redactDebugOutput();
    await super.init();
  }

  protected override async catch(err: Error): Promise<void> {
    const command = this.id?.replaceAll(':', ' ');
    const { line, exitCode } = describeFailure(err, Boolean(process.env['DEBUG']), command);
    process.stderr.write(line + '\n');
    process.exitCode = exitCode;
  }

  /** The width a table is laid out in: the terminal's, or 120 columns where stdout is none. */
  protected get outputWidth(): number {
    return stdoutColumns() ?? 120;
  }

  protected write(text: string): void {
    writeStdout(text);
  }
}
