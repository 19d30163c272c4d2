import { createRequire } from 'node:module';

/**
 * Node's modules that a run of one of our commands seldom uses: on Node 24 each costs about 1-2
 * ms of every start (worker_threads: an image of small layers starts no worker; child_process:
 * the daemon source's `docker`, credential helpers, oclif's Windows shell lookup; fs/promises: a
 * small image's files are read with synchronous calls, and oclif's are too; crypto, 2-4 ms on
 * Node 20 with OpenSSL's first use: an archive analyzed again, its digests known and every
 * layer's result stored, hashes nothing; zlib, stream and stream/promises, about 3 ms on Node 20:
 * such a run decompresses and streams nothing either, and writes its report to a file or
 * /dev/null without process.stdout's stream, standard-streams.ts).
 */
const ON_FIRST_USE = new Set([
  'worker_threads',
  'child_process',
  'fs/promises',
  'crypto',
  'zlib',
  'stream',
  'stream/promises',
]);

/**
 * The `require` an own-commands bundle runs with (src/cli/launch.ts): `createRequire(file)`'s,
 * except that the modules of ON_FIRST_USE load when the code first uses them. What it returns
 * for one of them behaves as the module for every use (a property, `in`, its keys), so code that
 * only reads properties (what esbuild makes of a named import) loads it when it first does.
 */
export function bundleRequire(file: string): NodeJS.Require {
  const require = createRequire(file);
  const onFirstUse = (id: string): unknown => {
    let loaded: object | undefined;
    const load = (): object => (loaded ??= require(id) as object);
    return new Proxy(
      {},
      {
        get: (_, key) => Reflect.get(load(), key),
        has: (_, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
          // A proxy may not report a property its target lacks as non-configurable.
          return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
        },
      },
    );
  };
  // A prefix cut, not a pattern: a bundle's evaluation asks this of a hundred ids.
  const lazy = (id: string): unknown =>
    ON_FIRST_USE.has(id.startsWith('node:') ? id.slice(5) : id) ? onFirstUse(id) : require(id);
  return Object.assign(lazy, require);
}
