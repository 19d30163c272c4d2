/**
 * Hang detection for tests: a watchdog names what never finished. Its limit is far above any
 * normal run (a loaded CI runner included), so it fires only for a hang, never for slowness;
 * speed belongs to bench/.
 */

/** Generous limit for one CLI run or one analysis: normal runs take a few seconds. */
export const HANG_MS = 120_000;

/** `work`'s result, or a rejection naming `what` if it has not settled after `ms`; `onHang` cleans up. */
export async function watchdog<T>(
  work: Promise<T>,
  what: string,
  ms: number = HANG_MS,
  onHang: () => void = () => undefined,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      onHang();
      reject(new Error(`hang: ${what} did not finish within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it holds: waiting for an event (a file appears, a request arrives), not for time. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms: number = HANG_MS,
): Promise<void> {
  let stop = false;
  await watchdog(
    (async () => {
      while (!stop && !(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    what,
    ms,
    () => (stop = true),
  );
}
