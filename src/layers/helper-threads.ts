import createDebug from 'debug';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** `DEBUG=imgscope:layers` also says when the helper threads were given way. */
const debug = createDebug('imgscope:layers');

/** Linux's lowest priority (nice 19): a thread at it runs when a core would otherwise idle. */
const LOWEST_PRIORITY = 19;

/** The threads `recordHelperThreads` found; emptied once they are lowered. */
let helpers: number[] = [];

/**
 * Records the threads the process has before imgscope starts any of its own: the main thread
 * aside, Node's and V8's (V8's background workers, which run its optimizing compiler and help
 * its collector; its delayed-task thread; the inspector's signal thread). Linux lists a
 * process's threads under /proc/self/task; elsewhere none are recorded. Called as a command
 * starts, on the main thread, before the layer reader's worker threads exist (they are never
 * in the list, and start at the main thread's priority).
 */
export function recordHelperThreads(): void {
  try {
    helpers = readdirSync('/proc/self/task')
      .map(Number)
      .filter((tid) => Number.isSafeInteger(tid) && tid !== process.pid);
  } catch {
    helpers = [];
  }
}

/**
 * Gives the recorded threads the lowest priority, once, so that the threads reading layers have
 * the cores first. On a machine whose cores the readers keep busy (two readers on two cores),
 * V8's optimizing compiler otherwise takes a share of them: a quarter of the docker-archive
 * bench's CPU, for code that mostly runs once. At the lowest priority it still runs whenever a
 * core is free (the analysis after the last layer leaves one). The price is in collections: a
 * reader's collection can wait for a helper holding a share of its parallel work (measured in
 * docs/architecture.md, "Both cores"). Only a speed-up: a thread that is gone or a refusal is
 * passed over, and nothing raises a priority again (an unprivileged process cannot).
 */
export function lowerHelperThreads(): void {
  const threads = helpers.splice(0);
  let lowered = 0;
  for (const tid of threads) {
    try {
      setPriority(tid, LOWEST_PRIORITY);
      lowered++;
    } catch {
      // Exited, or not ours to change: the next one.
    }
  }
  if (threads.length > 0)
    debug(`${lowered} of ${threads.length} helper threads lowered to priority ${LOWEST_PRIORITY}`);
}
