import { Config, Plugin } from '@oclif/core/config';
import { flush } from '@oclif/core/flush';
import { run } from '@oclif/core/run';
import { fileURLToPath } from 'node:url';
import { describeFailure } from './failure.js';

/**
 * What bin/run.js runs: oclif's `run` (the parts of oclif a run needs, not its index, which loads
 * help, ux and more besides). Bundled with oclif itself (scripts/bundle-commands.js), so a start
 * loads a few files, not hundreds. `bin` is bin/run.js's URL: oclif finds the package from it.
 */
export async function main(bin: string): Promise<void> {
  // With SHELL unset oclif asks the passwd entry for the login shell, which throws for a uid that
  // has none (Kubernetes runAsUser, OpenShift's arbitrary uids); it only names a shell.
  process.env['SHELL'] ??= '/bin/sh';
  const argv = process.argv.slice(2);
  try {
    await run(argv, await loadConfig(bin, argv));
    await flush();
  } catch (error) {
    // Our commands report their own failures; what reaches here (a plugin command's usage error,
    // oclif failing to start) gets the same one line and exit code. A plugin has its own copy of
    // @oclif/core, so its errors are known by their shape, not by class.
    const { code, oclif } = (error ?? {}) as { code?: unknown; oclif?: { exit?: unknown } };
    if (code === 'EEXIT' && typeof oclif?.exit === 'number') {
      process.exitCode = oclif.exit;
    } else {
      const { line, exitCode } = describeFailure(error, Boolean(process.env['DEBUG']));
      process.stderr.write(line + '\n');
      process.exitCode = exitCode;
    }
  }
}

/**
 * oclif's configuration. Running one of imgscope's own commands (from oclif.manifest.json) needs
 * no other plugin: the autocomplete plugin (its package, manifest and dependency matching, some
 * 10 ms) is loaded only for everything else, which may list or run its commands (help, an
 * unknown command's suggestion, `autocomplete` itself).
 */
async function loadConfig(bin: string, argv: string[]): Promise<Config> {
  const root = fileURLToPath(new URL('..', bin));
  const rootPlugin = new Plugin({ root, isRoot: true });
  await rootPlugin.load();
  const config = await Config.load({ root, plugins: new Map([[rootPlugin.name, rootPlugin]]) });
  if (!runsOwnCommand(rootPlugin, argv)) await config.loadPluginsAndCommands({ force: true });
  return config;
}

/** Whether argv names one of the root plugin's commands ("analyze", "cache list"), without help. */
function runsOwnCommand(plugin: Plugin, argv: string[]): boolean {
  const options = argv.indexOf('--');
  const beforeOptions = options < 0 ? argv : argv.slice(0, options);
  if (beforeOptions.some((arg) => arg === '--help' || arg === '-h')) return false;
  const [first, second] = argv;
  if (first === undefined || first === 'help' || first.startsWith('-')) return false;
  const ids = new Set(plugin.commandIDs);
  return ids.has(first) || (second !== undefined && ids.has(`${first}:${second}`));
}
