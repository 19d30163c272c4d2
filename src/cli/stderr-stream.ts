import { fstatSync } from 'node:fs';

/**
 * process.stderr, made only when something is written to it. Node makes the stream on the first
 * read of process.stderr; for a pipe (how CI runners, scripts and our bench take stderr) that
 * loads node:net and opens a socket on the pipe: about 1.5 ms of a small image's start (Node
 * 20), for a successful run that prints nothing there. What a run asks of stderr before it
 * writes is whether it is a terminal (colours, progress, the spinner) and, as it ends, whether
 * output is still queued: both are answered here without the stream where it was never needed.
 */

let terminal: boolean | undefined;

/**
 * Whether stderr is a terminal (process.stderr.isTTY). A terminal is a character device: where
 * fd 2 is anything else (a pipe, a file, a socket) the answer needs no stream.
 */
export function stderrIsTerminal(): boolean {
  terminal ??= characterDevice(2) && process.stderr.isTTY === true;
  return terminal;
}

function characterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    // Not asked of the system: the stream's own answer decides.
    return true;
  }
}

let made = true;

/**
 * Notes whether process.stderr gets made from now on (call it as the process starts, before
 * anything reads it), for `stderrQueued`. The getter Node defines stays the one that makes it.
 */
export function watchStderr(): void {
  const descriptor = Object.getOwnPropertyDescriptor(process, 'stderr');
  const make = descriptor?.get;
  if (make === undefined || descriptor?.configurable !== true) return;
  made = false;
  Object.defineProperty(process, 'stderr', {
    ...descriptor,
    get(this: NodeJS.Process) {
      made = true;
      return make.call(this) as NodeJS.WriteStream;
    },
  });
}

/** Bytes written to stderr that it has not taken yet: none where it was never made. */
export function stderrQueued(): number {
  return made ? process.stderr.writableLength : 0;
}
