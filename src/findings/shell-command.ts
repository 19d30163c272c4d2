/**
 * Just enough of POSIX shell to reason about and rewrite a `RUN` line: the command is cut into
 * simple commands at top-level `&&`, `||`, `;`, `|`, `&` and newlines, and each into words with
 * their offsets, quotes honoured. Offsets are what rewriting needs: advice edits the user's own
 * text (insert a flag after a word, append a step) instead of re-quoting it. shell-quote and
 * similar tokenizers drop positions and expand or re-quote `$VAR` and globs, so they cannot be
 * used to edit a command in place.
 */

export interface Word {
  /** The word with quotes and backslashes removed (`$VAR` and globs kept as written). */
  text: string;
  start: number;
  end: number;
}

export interface SimpleCommand {
  words: Word[];
  start: number;
  end: number;
  /** The operator that ends this command (`&&`, `;`...), or '' at the end of the line. */
  separator: string;
}

const OPERATORS = ['&&', '||', ';', '|', '&', '\n'];

/** Splits a shell command line into simple commands and words. Never throws: unclosed quotes run to the end. */
export function parseShell(line: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: Word[] = [];
  let commandStart = 0;
  let word: Word | null = null;
  const endWord = (at: number): void => {
    if (word !== null) {
      word.end = at;
      words.push(word);
      word = null;
    }
  };
  const endCommand = (at: number, separator: string): void => {
    endWord(at);
    if (words.length > 0 || separator !== '') {
      commands.push({ words, start: commandStart, end: at, separator });
    }
    words = [];
  };

  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (ch === ' ' || ch === '\t') {
      endWord(i);
      i++;
      continue;
    }
    // A backslash-newline is a line continuation: between words it is blank, inside one it joins.
    if (ch === '\\' && line[i + 1] === '\n') {
      i += 2;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op !== undefined && !isRedirection(line, i, op)) {
      endCommand(i, op);
      i += op.length;
      commandStart = i;
      continue;
    }
    word ??= { text: '', start: i, end: i };
    const current: Word = word;
    if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      const stop = close < 0 ? line.length : close;
      current.text += line.slice(i + 1, stop);
      i = stop + 1;
    } else if (ch === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] ?? '')) i++;
        current.text += line[i] ?? '';
        i++;
      }
      i++;
    } else if (ch === '\\') {
      current.text += line[i + 1] ?? '';
      i += 2;
    } else {
      current.text += ch;
      i++;
    }
  }
  endCommand(line.length, '');
  return commands.filter((command) => command.words.length > 0);
}

/** `2>&1`, `&>file` and `>|file` are redirections, not command separators. */
function isRedirection(line: string, at: number, op: string): boolean {
  const before = line[at - 1] ?? '';
  if (op === '&') return before === '>' || before === '<' || line[at + 1] === '>';
  if (op === '|') return before === '>';
  return false;
}

/** The words of a command with `sudo`, `env A=B` and leading `A=B` assignments skipped. */
export function commandWords(command: SimpleCommand): Word[] {
  let words = command.words;
  for (;;) {
    const first = words[0];
    if (first === undefined) return words;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first.text) || first.text === 'sudo' || first.text === 'env') {
      words = words.slice(1);
    } else {
      return words;
    }
  }
}

/** The program name of a command, without its directory (`/usr/bin/apt-get` is `apt-get`). */
export function programName(command: SimpleCommand): string {
  const first = commandWords(command)[0]?.text ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}
