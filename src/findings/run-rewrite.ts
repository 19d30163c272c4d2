import { commandWords, parseShell, programName, type SimpleCommand, type Word } from './shell-command.js';

/** Options that take the next word as their value, in the package managers rules rewrite. */
const OPTIONS_WITH_VALUE = new Set(['-o', '-t', '--option', '--target-release', '-X', '--repository', '-r']);

/**
 * Adds `flag` to every command `select` picks: right after its subcommand
 * (`pip install --no-cache-dir -r req.txt`), or with `afterOptions` after the options that follow
 * it (`apt-get install -y nginx` -> `apt-get install -y --no-install-recommends nginx`).
 * `select` returns the index (in `commandWords`) of the subcommand word, or null to skip.
 */
export function insertFlag(
  line: string,
  select: (words: Word[], program: string) => number | null,
  flag: string,
  alreadyThere: (words: Word[]) => boolean,
  afterOptions = false,
): string {
  const inserts: number[] = [];
  for (const command of parseShell(line)) {
    const words = commandWords(command);
    const at = select(words, programName(command));
    if (at === null || alreadyThere(words)) continue;
    let last = at;
    for (let i = at + 1; afterOptions && i < words.length; i++) {
      const text = words[i]?.text ?? '';
      if (!text.startsWith('-')) break;
      last = i;
      if (OPTIONS_WITH_VALUE.has(text)) {
        i++;
        last = Math.min(i, words.length - 1);
      }
    }
    const word = words[last];
    if (word !== undefined) inserts.push(word.end);
  }
  let result = line;
  for (const offset of inserts.sort((a, b) => b - a)) {
    result = `${result.slice(0, offset)} ${flag}${result.slice(offset)}`;
  }
  return result;
}

/** Appends a step to the end of the command, `&&`-chained so it runs only when the rest succeeded. */
export function appendStep(line: string, step: string): string {
  const trimmed = line.trimEnd().replace(/\s*;$/, '');
  return `${trimmed} && ${step}`;
}

/** RUN commands chained into one RUN, one command per line: `RUN a \\\n    && b`. */
export function chainRuns(commands: readonly string[]): string {
  return `RUN ${commands.join(' \\\n    && ')}`;
}

/** The index of the first non-option word after the program, if it is one of `subcommands`. */
export function subcommandIndex(words: Word[], subcommands: readonly string[]): number | null {
  for (let i = 1; i < words.length; i++) {
    const text = words[i]?.text ?? '';
    if (text.startsWith('-')) {
      if (OPTIONS_WITH_VALUE.has(text)) i++;
      continue;
    }
    return subcommands.includes(text) ? i : null;
  }
  return null;
}

/** Whether any simple command of the line satisfies `test`. */
export function someCommand(
  line: string,
  test: (command: SimpleCommand, program: string) => boolean,
): boolean {
  return parseShell(line).some((command) => test(command, programName(command)));
}

/** Whether the line runs `rm` on a path under `prefix` (`rm -rf /var/lib/apt/lists/*`). */
export function removesUnder(line: string, prefix: string): boolean {
  return someCommand(
    line,
    (command, program) =>
      program === 'rm' && commandWords(command).some((word) => word.text.startsWith(prefix)),
  );
}
