import { fstatSync, statSync, writeSync, type Stats } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * process.stdout and process.stderr, made only where they must be. Node makes each stream on the
 * first read of the property, and with it node:stream (about 3 ms of a small image's start on
 * Node 20), and for a pipe node:net and a socket on it (1.5 ms more): for stderr (how CI runners,
 * scripts and our bench take it) in a successful run that prints nothing there, for stdout where
 * the report goes to a file or /dev/null. What a run asks of them before it writes is whether
 * they are terminals (colours, progress, the spinner, a table's width) and, as it ends, whether
 * output is still queued: both are answered here without the stream where it was never needed,
 * and a report to a file is written as Node's stream for a file writes it.
 */

/** fd 1 and 2's `isTTY`, asked once each. */
const terminals = new Map<number, boolean>();

/**
 * Whether the stream of `fd` (1 or 2) is a terminal (its `isTTY`). A terminal is a character
 * device other than /dev/null: where the fd is anything else (a pipe, a file, a socket, /dev/null)
 * the answer needs no stream.
 */
function isTerminal(fd: 1 | 2): boolean {
  let terminal = terminals.get(fd);
  if (terminal === undefined) {
    const stats = statsOf(fd);
    terminal =
      (stats === null || (stats.isCharacterDevice() && !isDevNull(stats))) &&
      (fd === 1 ? process.stdout : process.stderr).isTTY === true;
    terminals.set(fd, terminal);
  }
  return terminal;
}

/** Whether stderr is a terminal (process.stderr.isTTY). */
export const stderrIsTerminal = (): boolean => isTerminal(2);

/** Whether stdout is a terminal (process.stdout.isTTY). */
export const stdoutIsTerminal = (): boolean => isTerminal(1);

/** The terminal's width where stdout is one (process.stdout.columns); undefined otherwise. */
export function stdoutColumns(): number | undefined {
  return stdoutIsTerminal() ? process.stdout.columns : undefined;
}

/** fd 1 and 2's stat, taken once each (a start asks several questions of stdout). */
const fdStats = new Map<number, Stats | null>();

/** The fd's stat; null where the system will not say (closed): the stream's own answers decide. */
function statsOf(fd: number): Stats | null {
  let stats = fdStats.get(fd);
  if (stats === undefined) {
    try {
      stats = fstatSync(fd);
    } catch {
      stats = null;
    }
    fdStats.set(fd, stats);
  }
  return stats;
}

let stdoutToFile: boolean | undefined;

/**
 * Whether stdout is what Node writes with plain synchronous writes (its stream for a "file":
 * libuv's name for a regular file and for a character device that is no terminal): a regular
 * file, or a character device that is no terminal (/dev/null told apart without node:tty, by
 * `isTerminal`). Pipes, sockets and terminals keep Node's stream (non-blocking writes, EAGAIN,
 * EPIPE and a terminal's newlines are its work).
 */
export function stdoutWritesToFile(): boolean {
  if (stdoutToFile === undefined) {
    const stats = statsOf(1);
    stdoutToFile = stats !== null && (stats.isFile() || (stats.isCharacterDevice() && !stdoutIsTerminal()));
  }
  return stdoutToFile;
}

/** /dev/null's device number on Linux, where it is fixed (major 1, minor 3: devices.txt). */
const LINUX_DEV_NULL = (1 << 8) | 3;

let devNull: number | null | undefined;

/** Whether `stats` are /dev/null's (the same character device). */
function isDevNull(stats: Stats): boolean {
  if (!stats.isCharacterDevice()) return false;
  if (devNull === undefined) {
    try {
      devNull = process.platform === 'linux' ? LINUX_DEV_NULL : statSync('/dev/null').rdev;
    } catch {
      devNull = null;
    }
  }
  return stats.rdev === devNull;
}

/**
 * Whether each stream has been made, kept on `process` under a registered symbol: the launcher
 * and the bundle it runs each hold a copy of this module. Both made, unless
 * `watchStandardStreams` watches them.
 */
const MADE = Symbol.for('imgscope.standard-streams.made');

interface Made {
  stdout: boolean;
  stderr: boolean;
}

const made = (): Made => (process as { [MADE]?: Made })[MADE] ?? { stdout: true, stderr: true };

/**
 * Writes `text` to stdout: where it is a file or a device other than a terminal, with synchronous
 * writes (what Node's stream for it does, but a failure, /dev/full's ENOSPC, is thrown to the
 * command instead of emitted as the stream's error after the run has ended); through
 * process.stdout otherwise.
 */
export function writeStdout(text: string): void {
  if (!stdoutWritesToFile()) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text);
  try {
    for (let written = 0; written < bytes.length;) written += writeSync(1, bytes, written);
  } catch (cause) {
    throw new UsageError(`cannot write to stdout: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Notes whether process.stdout and process.stderr get made from now on (call it as the process
 * starts, before anything reads them), for `stdoutQueued`, `stderrQueued` and `writeStdout`. The
 * getters Node defines stay the ones that make them.
 */
export function watchStandardStreams(): void {
  const watched: Made = { stdout: true, stderr: true };
  (process as { [MADE]?: Made })[MADE] = watched;
  for (const name of ['stdout', 'stderr'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    const make = descriptor?.get;
    if (make === undefined || descriptor?.configurable !== true) continue;
    watched[name] = false;
    Object.defineProperty(process, name, {
      ...descriptor,
      get(this: NodeJS.Process) {
        watched[name] = true;
        return make.call(this) as NodeJS.WriteStream;
      },
    });
  }
}

/** Bytes written to stdout that it has not taken yet: none where its stream was never made. */
export function stdoutQueued(): number {
  return made().stdout ? process.stdout.writableLength : 0;
}

/** Bytes written to stderr that it has not taken yet: none where it was never made. */
export function stderrQueued(): number {
  return made().stderr ? process.stderr.writableLength : 0;
}
