// The part of the `debug` package imgscope uses; the package ships no types of its own.
declare module 'debug' {
  import type { InspectOptions } from 'node:util';

  interface Debug {
    /** A logger for `namespace`, printing only when DEBUG names it. */
    (namespace: string): (line: string) => void;
    /** Where every logger writes (stderr by default). */
    log: (...args: unknown[]) => unknown;
    inspectOpts?: InspectOptions;
  }
  const debug: Debug;
  export default debug;
}
