import type { Command } from '@oclif/core/command';
import { Config, Plugin } from '@oclif/core/config';
import { flush } from '@oclif/core/flush';
import type { Manifest, PJSON, PluginOptions } from '@oclif/core/interfaces';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The module itself, not the layers index: every command's start bundle takes this import.
import { recordHelperThreads } from '../layers/helper-threads.js';
import type { RootManifest } from './own-command.js';
import { reportUncaught } from './report-uncaught.js';
import { stdoutQueued } from './standard-streams.js';

/**
 * Runs one of imgscope's own commands as oclif's `run` runs it once it has found the command
 * (configuration, init hook, the command's flag parsing, prerun/postrun and finally hooks), with
 * the command's class given instead of imported through the manifest: the start bundle
 * (dist/own-commands/ID.cjs, see launch.ts) holds both, so V8's code cache covers the command.
 * Only the root plugin is loaded, as in main.ts for our own commands, with `manifest`, the
 * oclif.manifest.json launch.ts has parsed already, as its manifest.
 */
export async function runOwnCommand(
  root: string,
  id: string,
  argv: string[],
  manifest: RootManifest,
  load: () => Promise<Command.Class>,
): Promise<void> {
  // Node's and V8's threads, before the command starts any of its own: an analysis lowers their
  // priority once it reads layers (src/layers/helper-threads.ts).
  recordHelperThreads();
  // With SHELL unset oclif asks the passwd entry for the login shell (see main.ts).
  process.env['SHELL'] ??= '/bin/sh';
  try {
    // The package's package.json, given: oclif would read it twice, once to find the root (the
    // directory bin/run.js is in already tells) and once more to load it (it has an oclif section,
    // so no other file adds to it).
    const pluginRoot = resolve(root);
    const pjson = JSON.parse(readFileSync(join(pluginRoot, 'package.json'), 'utf8')) as PJSON;
    // `manifest` is read by the bundle's copy of oclif only (PACKAGE_CHANGES in
    // scripts/bundle-commands.js): oclif's own reads the file, as it would without it.
    const options: PluginOptions & { manifest: Manifest } = {
      root: pluginRoot,
      isRoot: true,
      pjson,
      manifest: manifest as Manifest,
    };
    const rootPlugin = new Plugin(options);
    await rootPlugin.load();
    const config = await Config.load({ root, plugins: new Map([[rootPlugin.name, rootPlugin]]) });
    await config.runHook('init', { argv, id });
    const command = config.findCommand(id, { must: true });
    let error: Error | undefined;
    try {
      // What the plugin's findCommand sets on a class it imports.
      const loadClass = async (): Promise<Command.Class> =>
        Object.assign(await load(), {
          id,
          plugin: rootPlugin,
          isESM: true,
          relativePath: command.relativePath,
        });
      await config.runCommand(id, argv, { ...command, load: loadClass });
    } catch (thrown) {
      error = thrown as Error;
      throw thrown;
    } finally {
      await config.runHook('finally', { argv, Command: command, error, id });
    }
    // oclif's flush writes an empty string and races stdout's 'drain' against a timer: only worth
    // it while output is queued (what a full pipe did not take at once).
    if (stdoutQueued() > 0) await flush();
  } catch (error) {
    reportUncaught(error);
  }
}
