import type { EntryTable } from '../model/index.js';
import { CACHE_LOCATIONS } from './cache-locations.js';
import { commandWords, parseShell, programName } from './shell-command.js';
import { appendStep, insertFlag, removesUnder, someCommand, subcommandIndex } from './run-rewrite.js';

/** What the apt fix of one RUN needs to add. */
export interface AptFix {
  /** Also run `apt-get clean` (the layer kept `.deb` or `.bin` caches). */
  clean: boolean;
}

/** Whether a layer stored apt's `.deb`/`.bin` caches (then the fix also runs `apt-get clean`). */
export function keepsAptArchives(entries: EntryTable): boolean {
  return entries.some((entry) => entry.type === 'file' && CACHE_LOCATIONS.aptArchives.test(entry.path));
}

const APT_PROGRAMS = new Set(['apt-get', 'apt', 'aptitude']);

export function runsAptInstall(line: string): boolean {
  return someCommand(
    line,
    (command, program) =>
      APT_PROGRAMS.has(program) && subcommandIndex(commandWords(command), ['install']) !== null,
  );
}

export function runsApt(line: string): boolean {
  return someCommand(line, (_command, program) => APT_PROGRAMS.has(program));
}

function hasNoRecommends(words: { text: string }[]): boolean {
  return words.some(
    (word) =>
      word.text === '--no-install-recommends' || /^APT::Install-Recommends=["']?(false|0)/i.test(word.text),
  );
}

/** Installs without `--no-install-recommends`. */
export function installsRecommends(line: string): boolean {
  return parseShell(line).some((command) => {
    const words = commandWords(command);
    return (
      APT_PROGRAMS.has(programName(command)) &&
      subcommandIndex(words, ['install']) !== null &&
      !hasNoRecommends(words)
    );
  });
}

/**
 * The apt RUN rewritten the way the field recommends: `--no-install-recommends` on every install,
 * then `apt-get clean` (where caches were left) and `rm -rf /var/lib/apt/lists/*`, in the same RUN.
 */
export function fixAptRun(line: string, fix: AptFix): string {
  let result = insertFlag(
    line,
    (words, program) => (APT_PROGRAMS.has(program) ? subcommandIndex(words, ['install']) : null),
    '--no-install-recommends',
    hasNoRecommends,
    true,
  );
  const cleans = someCommand(
    result,
    (command, program) =>
      APT_PROGRAMS.has(program) && subcommandIndex(commandWords(command), ['clean']) !== null,
  );
  if (fix.clean && !cleans) result = appendStep(result, 'apt-get clean');
  if (!removesUnder(result, '/var/lib/apt/lists')) result = appendStep(result, 'rm -rf /var/lib/apt/lists/*');
  return result;
}

/** `apk add --no-cache`; where the RUN ran `apk update` (or no `apk add`), also remove the index. */
export function fixApkRun(line: string): string {
  const result = insertFlag(
    line,
    (words, program) => (program === 'apk' ? subcommandIndex(words, ['add']) : null),
    '--no-cache',
    (words) => words.some((word) => word.text === '--no-cache'),
  );
  const updates = someCommand(
    line,
    (command, program) => program === 'apk' && subcommandIndex(commandWords(command), ['update']) !== null,
  );
  return updates || result === line ? appendStep(result, 'rm -rf /var/cache/apk/*') : result;
}

/** `dnf clean all` (or yum's, microdnf's: whichever the RUN used) at the end of the RUN. */
export function fixDnfYumRun(line: string): string {
  const used = ['microdnf', 'dnf', 'yum'].find((tool) =>
    someCommand(line, (_c, program) => program === tool),
  );
  return appendStep(line, `${used ?? 'dnf'} clean all`);
}

const PIP_PROGRAMS = /^pip[0-9.]*$/;

/** `pip install --no-cache-dir` (also `python -m pip install`). */
export function fixPipRun(line: string): string {
  const result = insertFlag(
    line,
    (words, program) => {
      if (PIP_PROGRAMS.test(program)) return subcommandIndex(words, ['install']);
      if (/^python[0-9.]*$/.test(program)) {
        const m = words.findIndex((word) => word.text === '-m');
        if (m >= 0 && PIP_PROGRAMS.test(words[m + 1]?.text ?? '') && words[m + 2]?.text === 'install')
          return m + 2;
      }
      return null;
    },
    '--no-cache-dir',
    (words) => words.some((word) => word.text === '--no-cache-dir'),
  );
  return result === line ? appendStep(line, 'rm -rf /root/.cache/pip') : result;
}

/** `npm cache clean --force` / `yarn cache clean` at the end of the RUN. */
export function fixNpmRun(line: string, tool: 'npm' | 'yarn'): string {
  return appendStep(line, tool === 'npm' ? 'npm cache clean --force' : 'yarn cache clean');
}
