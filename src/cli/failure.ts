import { ConfigError, EXIT_CODES, ImgscopeError } from '../errors.js';
import { redactCredentials } from '../registry/redact.js';
import { terminalText } from '../render/terminal-text.js';
import { FlagValueError } from './flag-value-error.js';
import { closestName } from './suggest.js';

export interface Failure {
  line: string;
  exitCode: number;
}

/**
 * oclif's own errors (unknown flag, missing argument, bad option) carry an `oclif.exit` code;
 * its parse errors also carry what was parsed (`parse.input.flags`) and what was wrong
 * (`args`, `flags`).
 */
interface OclifError {
  oclif?: { exit?: number | false };
  message: string;
  args?: unknown[];
  flags?: unknown[];
  parse?: { input?: { flags?: Record<string, unknown> } };
}

/**
 * One line for stderr and the exit code, for anything a command throws: our errors keep their
 * code, oclif's usage errors are exit 2 in the same one-line form, anything else is a bug
 * (exit 70, stack only with DEBUG). `command` ("analyze", "cache prune") names the help to see.
 */
export function describeFailure(err: unknown, debug: boolean, command?: string): Failure {
  const seeHelp = `see imgscope ${command === undefined ? '' : `${command} `}--help`;
  if (err instanceof FlagValueError) {
    return { line: `imgscope: error: ${oneLine(err.line)} (${seeHelp})`, exitCode: err.exitCode };
  }
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
    return {
      line: `imgscope: error: ${oneLine(usageReason(err as Error & OclifError))} (${seeHelp})`,
      exitCode: typeof oclif.exit === 'number' ? oclif.exit : EXIT_CODES.badInput,
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

/** What oclif's parser refused, said in one line (its messages span up to five). */
function usageReason(err: Error & OclifError): string {
  const names = (list: unknown[] | undefined): string[] =>
    (list ?? []).map((item) =>
      typeof item === 'string' ? item : String((item as { name?: unknown }).name ?? ''),
    );
  switch (err.constructor.name) {
    case 'RequiredArgsError': {
      const args = (err.args ?? []) as { name?: string; description?: string }[];
      const missing = args.map((arg) => (arg.name ?? '').toUpperCase()).join(', ');
      const description = args.length === 1 ? args[0]?.description : undefined;
      return `missing argument ${missing}${description === undefined ? '' : `: ${description}`}`;
    }
    case 'UnexpectedArgsError':
      return `unexpected argument ${names(err.args)
        .map((arg) => JSON.stringify(arg))
        .join(', ')}`;
    case 'NonExistentFlagsError': {
      const known = Object.keys(err.parse?.input?.flags ?? {}).map((name) => `--${name}`);
      return names(err.flags)
        .map((flag) => {
          const typed = flag.split('=')[0] ?? flag;
          const suggestion = closestName(typed, known);
          return `unknown flag ${typed}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`;
        })
        .join(', ');
    }
  }
  // eslint-disable-next-line no-control-regex
  const lines = err.message.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  const reasons = lines
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        line !== 'See more help with --help' &&
        !/^The following errors? occurred:$/.test(line),
    );
  const first = reasons[0] ?? err.message;
  const option = /^Expected --([^=]+)=(.*) to be one of: (.*)$/.exec(first);
  if (option !== null) return `--${option[1]} must be one of ${option[3]}, got ${JSON.stringify(option[2])}`;
  const argOption = /^Expected (.*) to be one of: (.*)$/.exec(first);
  if (argOption !== null)
    return `argument must be one of ${argOption[2]}, got ${JSON.stringify(argOption[1])}`;
  const parsing = /^Parsing (--\S+)$/.exec(first);
  if (parsing !== null) return `${parsing[1]}: ${reasons.slice(1).join('; ')}`;
  const needsValue = /^Flag (--\S+) expects a value$/.exec(first);
  if (needsValue !== null) return `${needsValue[1]} needs a value`;
  return reasons.join('; ');
}

/**
 * Messages quote hostile input (entry names, JSON parser excerpts): control characters are
 * escaped so the error stays one line and cannot drive the terminal.
 */
export function oneLine(text: string): string {
  // A newline and a tab read as \n and \t; the other control characters as the reports show them.
  return terminalText(text.replaceAll('\n', '\\n').replaceAll('\t', '\\t'));
}
