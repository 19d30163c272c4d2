import { Config, Plugin } from '@oclif/core/config';
import { flush } from '@oclif/core/flush';
import { run } from '@oclif/core/run';
import { fileURLToPath } from 'node:url';
import { ownCommandOf } from './own-command.js';
import { reportUncaught } from './report-uncaught.js';

/**
 * oclif's full start: `run` (the parts of oclif a run needs, not its index, which loads help, ux
 * and more besides), for what the own-commands bundles (dist/own-commands/) do not run (help,
 * --version, another plugin's command, a typo; see src/cli/launch.ts). Bundled with oclif itself
 * (scripts/bundle-commands.js), so a start loads a few files, not hundreds. `bin` is
 * bin/run.js's URL: oclif finds the package from it.
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
    reportUncaught(error);
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
  if (ownCommandOf(rootPlugin.manifest.commands, argv) === null)
    await config.loadPluginsAndCommands({ force: true });
  return config;
}
