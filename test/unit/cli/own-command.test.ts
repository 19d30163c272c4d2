import { describe, expect, it } from 'vitest';
import { ownCommandOf, type ManifestCommand } from '../../../src/cli/own-command.js';

/** The shapes of imgscope's manifest that decide how argv names a command. */
const COMMANDS: Record<string, ManifestCommand> = {
  analyze: { strict: true, args: { image: {} } },
  audit: { strict: false, args: { images: {} } },
  'audit:merge': { strict: false, args: { dirs: {} } },
  'cache:list': { strict: true, args: {} },
  'cache:prune': { strict: true, args: {} },
  help: { strict: false, args: { command: {} } },
  rules: { strict: true, args: {} },
  version: { strict: true, args: {} },
};

describe('ownCommandOf: which of our commands argv runs, as oclif finds it', () => {
  it.each([
    [['analyze', 'app.tar', '--json'], 'analyze', ['app.tar', '--json']],
    [['analyze'], 'analyze', []],
    [['cache', 'list', '--json'], 'cache:list', ['--json']],
    [['cache:prune', '--older-than', '7d'], 'cache:prune', ['--older-than', '7d']],
    [['audit', 'merge', 'a', 'b'], 'audit:merge', ['a', 'b']],
    [['audit', 'app:1', 'app:2'], 'audit', ['app:1', 'app:2']],
    [['version'], 'version', []],
    [['analyze', 'app.tar', '--', '--help'], 'analyze', ['app.tar', '--', '--help']],
  ])('%j', (argv, id, rest) => {
    expect(ownCommandOf(COMMANDS, argv)).toEqual({ id, argv: rest });
  });

  it.each([
    [[]],
    [['--version']],
    [['-h']],
    [['help', 'analyze']],
    [['analyze', 'app.tar', '--help']],
    [['analyze', '-h']],
    [['cache']],
    [['cache', 'lst']],
    // No command takes arguments after `rules`: oclif reads rules:extra, a typo its hook answers.
    [['rules', 'extra']],
    [['autocomplete', 'bash']],
    [['analyzee', 'app.tar']],
    [['toString']],
  ])('%j is for oclif full start', (argv) => {
    expect(ownCommandOf(COMMANDS, argv)).toBeNull();
  });
});
