import { readFileSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as vmConstants } from 'node:vm';
import { CODE_CACHE_DIR, defaultCacheRoot } from '../cache/cache-root.js';
import { EXIT_CODES } from '../errors.js';
import { crc32 } from '../layers/crc32.js';
import { bundleRequire } from './bundle-require.js';
import { codeCacheAvailable, codeCachePath, loadCommonJsBundle } from './code-cache.js';
import { ownCommandOf, type OwnCommandRun, type RootManifest } from './own-command.js';
import { stderrQueued, stdoutQueued, watchStandardStreams } from './standard-streams.js';

/** What a command's bundle, dist/own-commands/ID.cjs, exports (scripts/bundle-commands.js builds it). */
interface OwnCommandBundle {
  run(root: string, id: string, argv: string[], manifest: RootManifest): Promise<void>;
}

/**
 * What bin/run.js runs. One of imgscope's own commands (`analyze IMAGE`, `cache list`: most
 * runs) runs from its bundle, dist/own-commands/ID.cjs (cache:list is cache-list.cjs): oclif and
 * that command in one classic script that V8's code cache (code-cache.ts) keeps compiled between
 * runs, in $XDG_CACHE_HOME/imgscope/code-cache; everything else (help, --version, the
 * autocomplete plugin, a typo) runs oclif's full start from dist/cli/main.js. `bin` is
 * bin/run.js's URL.
 */
export async function launch(bin: string): Promise<void> {
  watchStandardStreams();
  const root = fileURLToPath(new URL('..', bin));
  const manifest = rootManifest(root);
  const own = manifest === null ? null : ownCommandOf(manifest.commands, process.argv.slice(2));
  if (own !== null && manifest !== null && (await runFromBundle(root, own, manifest))) return;
  // Node >= 22.1 keeps compiled ES modules on disk between runs: a faster start from the second run on.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { main } = await import('./main.js');
  await main(bin);
}

/**
 * oclif.manifest.json, parsed once: it names the own command argv runs, and the bundle's oclif
 * takes it as the root plugin's manifest instead of reading and parsing it again. Null without
 * one (a bare build).
 */
function rootManifest(root: string): RootManifest | null {
  try {
    return JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as RootManifest;
  } catch {
    return null;
  }
}

/**
 * What decides which code a run compiles, for the name of its code cache: the command and the
 * options it names, with the format's value (a table or JSON, the gate, the HTML report each
 * run their own code). "analyze", or "analyze-" and the crc32 of the options ("--format=json").
 */
export function runShape(own: OwnCommandRun): string {
  const options = new Set<string>();
  for (let i = 0; i < own.argv.length; i++) {
    const arg = own.argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('-')) continue;
    const name = arg.split('=', 1)[0]!;
    options.add(
      FORMAT_OPTIONS.has(name)
        ? `--format=${arg.includes('=') ? arg.slice(name.length + 1) : own.argv[i + 1]}`
        : name,
    );
  }
  const id = own.id.replaceAll(':', '-');
  if (options.size === 0) return id;
  return `${id}-${crc32([...options].sort().join(' '))
    .toString(16)
    .padStart(8, '0')}`;
}

const FORMAT_OPTIONS = new Set(['--format', '-f']);

/** Runs `own` from the bundle; false where there is none to run it (a bare build, an old Node). */
async function runFromBundle(root: string, own: OwnCommandRun, manifest: RootManifest): Promise<boolean> {
  // The bundle's import() of the packages left outside it (sql.js) needs Node >= 20.12.
  if (vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER === undefined) return false;
  const file = join(root, 'dist', 'own-commands', `${own.id.replaceAll(':', '-')}.cjs`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return false;
  }
  // The cache commands neither read nor keep compiled code: a prune leaves none behind it, and a
  // listing shows what the other commands keep.
  const cachePath =
    codeCacheAvailable() && !own.id.startsWith('cache:')
      ? codeCachePath(join(defaultCacheRoot(), CODE_CACHE_DIR), file, bytes, runShape(own))
      : null;
  const bundle = loadCommonJsBundle<OwnCommandBundle>(file, bytes, cachePath, bundleRequire(file));
  await bundle.exports.run(root, own.id, own.argv, manifest);
  // Only a run that did its work keeps what it compiled: one that failed (a missing file, an
  // unreachable registry) stopped before most of the command ran, and two such runs made a last
  // generation without the analysis, which every later run then compiled again (a small image's
  // table 105 ms instead of 86).
  if (Number(process.exitCode ?? 0) <= EXIT_CODES.gateFailed) bundle.store?.();
  exitWhenDone();
  return true;
}

/**
 * Exits now where the run succeeded and all it printed has been handed to the system: the exit
 * Node makes once the event loop is empty first frees the heap and tears the environment down
 * (about 1.5 ms of a small image's run on Node 24), memory the system frees anyway. A failed
 * run (whose clean-up may still be under way), or output still queued for a slow pipe, ends as
 * before. 'exit' listeners run either way.
 */
function exitWhenDone(): void {
  const succeeded = Number(process.exitCode ?? 0) === 0;
  if (succeeded && stdoutQueued() === 0 && stderrQueued() === 0) process.exit();
}
