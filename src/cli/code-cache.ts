import { isAscii } from 'node:buffer';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script, constants as vmConstants } from 'node:vm';
import { crc32, nativeCrc32Available } from '../layers/crc32.js';
import { ownedPrivately } from '../owned-privately.js';

/**
 * V8's code cache for a classic script, kept on disk between runs: the bytecode of every
 * function the last run compiled, so that the next run neither parses nor compiles them. Node
 * 20 has no compile cache for modules (module.enableCompileCache is 22.1+), and Node's caches
 * hold only what a module's first evaluation compiled, not the functions a run calls later.
 *
 * A cache file is only ever a speed-up: one that is missing, unreadable, torn, corrupt, another
 * user's, writable by others or made by another V8 is ignored (V8 checks its version, flags and
 * the source's length; the crc32 here covers the bytes), and the next store replaces it
 * atomically (a temporary file renamed over it).
 */

/** "ISCC", the cache's generation, then the crc32 and length of the V8 data that follows. */
const MAGIC = 0x49534343;
const HEADER_BYTES = 16;

/**
 * How many times a cache is stored: by the first run that does its work (a failed run stores
 * nothing: launch.ts), then once more by the run that uses it (which compiles what the first did
 * not need: a second analysis takes layers from the layer-result cache the first one filled),
 * then it stays.
 */
const LAST_GENERATION = 1;

/** Whether this Node can keep a code cache: zlib's crc32 is 20.15+ (engines allow any 20). */
export function codeCacheAvailable(): boolean {
  return nativeCrc32Available();
}

/**
 * Where the cache of `source`, the script at `file`, for a run of `key` is kept in `dir`: named by
 * the running Node, the script's path (two checkouts or installs keep their own caches, instead of
 * each run replacing the other's), the options Node was started with where there are any (V8
 * rejects a cache made under other flags: runs that alternate them keep one each instead of
 * rewriting each other's), the source's length and crc32 (a rebuilt or edited script gets a fresh
 * cache; a mismatch is never handed to V8), and by `key`, since each run stores what it compiled
 * (`analyze` compiles other functions than `cache list`).
 */
export function codeCachePath(
  dir: string,
  file: string,
  source: Uint8Array,
  key: string,
  options: string = nodeOptions(),
): string {
  const hex = (sum: number): string => sum.toString(16).padStart(8, '0');
  const flags = options === '' ? '' : `-o${hex(crc32(options))}`;
  const name = `${key}-${process.version}-${process.arch}-${hex(crc32(file))}${flags}`;
  return join(dir, `${name}-${source.length}-${hex(crc32(source))}.v8`);
}

/**
 * The options this Node was started with, from its command line and NODE_OPTIONS: where V8's
 * flags come from. Node's own options (`--require`, `--cpu-prof`) are among them; they only give
 * a run a cache of its own.
 */
function nodeOptions(): string {
  const fromEnvironment = process.env['NODE_OPTIONS'] ?? '';
  if (process.execArgv.length === 0 && fromEnvironment === '') return '';
  return [...process.execArgv, fromEnvironment].join('\0');
}

export interface CompiledScript {
  script: Script;
  /** The generation to store after the run (see LAST_GENERATION), or null: none to store. */
  store: number | null;
}

/**
 * Compiles `code` (the script's text as it will run, `filename` for stack traces), with the code
 * cache at `cachePath` when there is a valid one. The script's import() loads ES modules as
 * the main context does.
 */
export function compileWithCodeCache(
  code: string,
  filename: string,
  cachePath: string | null,
): CompiledScript {
  const cached = cachePath === null ? undefined : readCodeCache(cachePath);
  const script = new Script(code, {
    filename,
    ...(cached === undefined ? {} : { cachedData: cached.data }),
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachePath === null) return { script, store: null };
  if (cached === undefined || script.cachedDataRejected === true) return { script, store: 0 };
  return { script, store: cached.generation < LAST_GENERATION ? cached.generation + 1 : null };
}

/**
 * Stores what `script` has compiled so far (call it after the run) at `cachePath`, in a private
 * directory made in its parent when that exists (imgscope's cache directory, which the data
 * caches make: a run that stores nothing there, `cache list` say, does not create it), and
 * removes the caches of other builds for the same key. A failure (no cache directory yet, a
 * read-only disk, no home) only means the next run compiles again.
 */
export function storeCodeCache(script: Script, cachePath: string, generation: number): void {
  const temporary = `${cachePath}.${process.pid}.tmp`;
  try {
    // The directory first: where it cannot be made (no cache directory yet), V8 is not asked
    // for data that could not be kept (about 10 ms of a run's end).
    const dir = dirname(cachePath);
    makeDir(dir);
    const data = script.createCachedData();
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32BE(MAGIC, 0);
    header.writeUInt32BE(generation, 4);
    header.writeUInt32BE(crc32(data), 8);
    header.writeUInt32BE(data.length, 12);
    writeFileSync(temporary, Buffer.concat([header, data]), { mode: 0o600 });
    renameSync(temporary, cachePath);
    removeOtherBuilds(dir, basename(cachePath));
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Its directory could not be made: there is no temporary file.
    }
  }
}

/** Makes `dir` (0700), not its parents; one that exists is fine. */
function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** The V8 data stored at `path`, or undefined where there is none this run may trust. */
function readCodeCache(path: string): { data: Buffer; generation: number } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (!ownedPrivately(fstatSync(fd))) return undefined;
    const file = readFileSync(fd);
    if (file.length < HEADER_BYTES || file.readUInt32BE(0) !== MAGIC) return undefined;
    const data = file.subarray(HEADER_BYTES);
    if (file.readUInt32BE(12) !== data.length || file.readUInt32BE(8) !== crc32(data)) return undefined;
    return { data, generation: file.readUInt32BE(4) };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The source's length and crc32 at the end of a cache's name: what a rebuild changes. */
const BUILD_SUFFIX = /\d+-[0-9a-f]{8}\.v8$/;

/**
 * Caches of the same key, Node, script path and options for sources that are gone (earlier
 * builds): one stays. Those of other options are another family, even where their name begins
 * with this one's.
 */
function removeOtherBuilds(dir: string, kept: string): void {
  const family = kept.replace(BUILD_SUFFIX, '');
  for (const name of readdirSync(dir)) {
    if (name !== kept && name.endsWith('.v8') && name.replace(BUILD_SUFFIX, '') === family)
      rmSync(join(dir, name), { force: true });
  }
}

/**
 * The CommonJS module scope a bundle runs in, import.meta.url included: the parameters of the
 * function expression that the build writes as the bundle's file (scripts/classic-script-bundling.js).
 */
export const BUNDLE_SCOPE = ['exports', 'require', 'module', '__filename', '__dirname', '__importMetaUrl'];

/** A CommonJS bundle run from a script compiled with the code cache (`loadCommonJsBundle`). */
export interface LoadedBundle<T> {
  exports: T;
  /** Keeps what the run has compiled since (call it after the run); null: nothing to keep. */
  store: (() => void) | null;
}

/**
 * Runs the CommonJS bundle `file` (its `bytes`, read by the caller: a function expression of
 * BUNDLE_SCOPE, as the build writes it) in this context from a script compiled with the code cache
 * at `cachePath` (null: none), with `require` as its require.
 */
export function loadCommonJsBundle<T>(
  file: string,
  bytes: Buffer,
  cachePath: string | null,
  require: NodeJS.Require,
): LoadedBundle<T> {
  // An ASCII file (as esbuild writes it) is one byte a character: no UTF-8 decoding, half the memory.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const { script, store } = compileWithCodeCache(source, file, cachePath);
  const bundle = { exports: {} as T };
  (script.runInThisContext() as (...scope: unknown[]) => void)(
    bundle.exports,
    require,
    bundle,
    file,
    dirname(file),
    pathToFileURL(file).href,
  );
  return {
    exports: bundle.exports,
    store: store === null || cachePath === null ? null : () => storeCodeCache(script, cachePath, store),
  };
}
