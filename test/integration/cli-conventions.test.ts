import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';
import { hostLacks } from '../helpers/host-features.js';
import {
  DIVE_FIXTURES,
  PROJECT_ROOT,
  cliSandbox,
  expectOneLineError,
  hermeticEnv,
  runCli,
} from '../helpers/run-cli.js';

const image = `${DIVE_FIXTURES}test-docker-image.tar`;
const { version } = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  version: string;
};
const userAgent = `imgscope/${version} ${process.platform}-${process.arch} node-${process.version}\n`;

afterAll(cleanupTempDirs);

describe('help and version', () => {
  it('prints the version with --version and with the version command', async () => {
    for (const args of [['--version'], ['version']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(userAgent);
      expect(result.stderr).toBe('');
    }
  });

  it('lists every command and the cache topic with help, -h and --help', async () => {
    for (const args of [['help'], ['-h'], ['--help'], []]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      for (const command of ['analyze', 'diff', 'rules', 'autocomplete', 'help', 'version']) {
        expect(result.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
      }
      expect(result.stdout).toMatch(
        /^ {2}cache +See what the cache holds, registry blobs and layer results/m,
      );
    }
  });

  it('explains one command with help analyze, analyze -h and analyze --help, without empty defaults', async () => {
    const outputs = await Promise.all(
      [
        ['help', 'analyze'],
        ['analyze', '-h'],
        ['analyze', '--help'],
      ].map((args) => runCli(args)),
    );
    for (const result of outputs) {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^ {2}\$ imgscope analyze IMAGE /m);
      expect(result.stdout).toContain('--top=<value>          [default: 10]');
      expect(result.stdout).not.toContain('[default: ]');
    }
    expect(outputs[1]!.stdout).toBe(outputs[0]!.stdout);
    expect(outputs[2]!.stdout).toBe(outputs[0]!.stdout);
  });

  it('explains a two-word command', async () => {
    const result = await runCli(['help', 'cache', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}\$ imgscope cache list \[-f table\|json\] \[--json\]$/m);
  });

  it('shows no empty default in any command', async () => {
    for (const command of ['analyze', 'diff', 'rules', 'cache list', 'cache prune', 'help', 'version']) {
      const result = await runCli([...command.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/\[default: \]/);
    }
  });
});

describe('mistyped commands: one line with the likely command, exit 2, no prompt', () => {
  const cases: [string[], string][] = [
    [
      ['analyse', 'x.tar'],
      'imgscope: error: "analyse" is not an imgscope command; did you mean "analyze"? (see imgscope help)',
    ],
    [
      ['cache', 'lst'],
      'imgscope: error: "cache lst" is not an imgscope command; did you mean "cache list"? (see imgscope help)',
    ],
    [
      ['dif', 'a', 'b'],
      'imgscope: error: "dif" is not an imgscope command; did you mean "diff"? (see imgscope help)',
    ],
    [
      ['frobnicate'],
      'imgscope: error: "frobnicate" is not an imgscope command (see imgscope help for the commands)',
    ],
    [['--verison'], 'imgscope: error: unknown flag --verison; did you mean --version? (see imgscope --help)'],
    [
      ['help', 'analyse'],
      'imgscope: error: "analyse" is not an imgscope command; did you mean "analyze"? (see imgscope help)',
    ],
  ];
  for (const [args, line] of cases) {
    it(`imgscope ${args.join(' ')}`, async () => {
      // stdin is a pipe that stays open: a prompt would wait on it (and the test time out).
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(expectOneLineError(result)).toBe(line);
    });
  }
});

describe('flag and argument errors: why, in one line, exit 2', () => {
  const cases: [string[], string][] = [
    [
      ['analyze', '--top', '-1', image],
      '--top must be an integer >= 0, got "-1" (see imgscope analyze --help)',
    ],
    [
      ['analyze', '--concurrency', '0', image],
      '--concurrency must be an integer from 1 to 32, got "0" (see imgscope analyze --help)',
    ],
    [
      ['analyze', '--timeout', '0', image],
      '--timeout must be an integer >= 1, got "0" (see imgscope analyze --help)',
    ],
    [
      ['diff', '--depth', '2.5', image, image],
      '--depth must be an integer from 1 to 32, got "2.5" (see imgscope diff --help)',
    ],
    [
      ['cache', 'prune', '--older-than', 'abc'],
      '--older-than must be an integer >= 0, got "abc" (see imgscope cache prune --help)',
    ],
    [
      ['analyze'],
      'missing argument IMAGE: image to analyze (registry reference, path or transport:reference) (see imgscope analyze --help)',
    ],
    [['diff', image], 'missing argument AFTER: the image after the change (see imgscope diff --help)'],
    [['analyze', image, '--bogus'], 'unknown flag --bogus (see imgscope analyze --help)'],
    [
      ['analyze', image, '--tpo', '3'],
      'unknown flag --tpo; did you mean --top? (see imgscope analyze --help)',
    ],
    [['analyze', image, '--top'], '--top needs a value (see imgscope analyze --help)'],
    [
      ['analyze', '--format', 'xml', image],
      '--format must be one of table, json, got "xml" (see imgscope analyze --help)',
    ],
    [['analyze', image, image], `unexpected argument "${image}" (see imgscope analyze --help)`],
    [
      ['autocomplete', 'fish'],
      'argument must be one of zsh, bash, powershell, got "fish" (see imgscope --help)',
    ],
  ];
  for (const [args, reason] of cases) {
    it(`imgscope ${args.join(' ').replaceAll(DIVE_FIXTURES, '')}`, async () => {
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(expectOneLineError(result)).toBe(`imgscope: error: ${reason}`);
    });
  }
});

describe('a checkout that was never built', () => {
  it('says to build it, in one line, exit 70, instead of a stack trace', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'bin'));
    for (const file of ['run.js', 'package.json'])
      await copyFile(join(PROJECT_ROOT, 'bin', file), join(dir, 'bin', file));
    const result = spawnSync(process.execPath, [join(dir, 'bin', 'run.js'), 'analyze', image], {
      encoding: 'utf8',
      env: hermeticEnv(dir),
    });
    expect(result.status).toBe(70);
    expect(result.stdout).toBe('');
    expect(expectOneLineError({ code: result.status, stdout: result.stdout, stderr: result.stderr })).toBe(
      'imgscope: error: this copy of imgscope is not built (run npm run build)',
    );
  });
});

describe('shell completion', () => {
  it('writes bash and zsh completion for every command and flag, and prints the line to add', async () => {
    const cache = await tempDir();
    const env = { XDG_CACHE_HOME: cache };
    const instructions = await runCli(['autocomplete', 'bash'], env);
    expect(instructions.code).toBe(0);
    expect(instructions.stdout).toContain('printf "$(imgscope autocomplete script bash)" >> ~/.bashrc');

    const functions = join(cache, 'imgscope', 'autocomplete', 'functions');
    const bash = await readFile(join(functions, 'bash', 'imgscope.bash'), 'utf8');
    expect(bash).toContain('complete -F _imgscope_autocomplete imgscope');
    expect(bash).toMatch(
      /^analyze --format --json --top .*--concurrency --ignore --layer-files --html --ci /m,
    );
    expect(bash).toMatch(/^cache:list --format --json$/m);
    expect(bash).toMatch(/^cache:prune --older-than$/m);
    expect(bash).toMatch(/^diff --format --json --files --depth /m);

    const zsh = await readFile(join(functions, 'zsh', '_imgscope'), 'utf8');
    expect(zsh).toContain('#compdef imgscope');
    expect(zsh).toContain('"analyze[Report the size, waste and efficiency of an image, layer by layer.]"');
    expect(zsh).toContain('--older-than"[only remove entries not used for this many days]');
    expect(zsh).toContain('"list[');

    for (const shell of ['bash', 'zsh']) {
      const script = await runCli(['autocomplete', 'script', shell], env);
      expect(script.code).toBe(0);
      const setup = join(cache, 'imgscope', 'autocomplete', `${shell}_setup`);
      expect(script.stdout).toContain(`IMGSCOPE_AC_${shell.toUpperCase()}_SETUP_PATH=${setup}`);
    }
  });
});

describe('a uid with no passwd entry', () => {
  // Kubernetes runAsUser and OpenShift run containers as uids /etc/passwd does not know, with no
  // SHELL set: oclif asked the passwd entry for the login shell and every command crashed.
  const canSwitchUser = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
  const asStranger = (args: string[], options: Pick<SpawnSyncOptions, 'cwd' | 'env'> = {}) =>
    spawnSync('setpriv', ['--reuid=54321', '--regid=54321', '--clear-groups', process.execPath, ...args], {
      ...options,
      encoding: 'utf8',
    });
  // A checkout under a private folder (/root/...) is out of that uid's reach: a fact of where the
  // clone is, not of the host, so it skips (visibly) even in CI.
  const checkoutReadable =
    !canSwitchUser ||
    asStranger(['-e', `require('fs').accessSync(${JSON.stringify(`${PROJECT_ROOT}bin/run.js`)})`]).status ===
      0;
  if (!checkoutReadable) console.warn('skipping a test: uid 54321 cannot read this checkout');
  it.skipIf(
    hostLacks('root and setpriv, to run as a uid with no passwd entry', canSwitchUser) || !checkoutReadable,
  )('analyzes as uid 54321 with no SHELL', async () => {
    const { cwd, home } = await cliSandbox();
    await chmod(cwd, 0o777);
    await chmod(home, 0o777);
    const run = asStranger(
      [`${PROJECT_ROOT}bin/run.js`, 'analyze', `${PROJECT_ROOT}fixtures/example.tar`, '--format', 'json'],
      { cwd, env: hermeticEnv(home) },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { layers: unknown[] }).layers).toHaveLength(8);
  });
});

/**
 * A run of the built CLI with `args` in a terminal that util-linux's script gives it, hermetically
 * (`env` added), as the shell line `line` makes of the command; what the terminal showed is the
 * result's stdout.
 */
async function inTerminal(
  line: (command: string) => string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string }> {
  const { cwd, home } = await cliSandbox();
  const command = [process.execPath, `${PROJECT_ROOT}bin/run.js`, ...args]
    .map((word) => `'${word}'`)
    .join(' ');
  return spawnSync('script', ['-qec', line(command), '/dev/null'], {
    cwd,
    env: hermeticEnv(home, { ...env, TERM: 'xterm' }),
    encoding: 'utf8',
  });
}

describe('stderr: a terminal or not', () => {
  // stderr is asked whether it is a terminal without making process.stderr where it cannot be
  // one (src/cli/standard-streams.ts): DEBUG's colours must still follow what it is.
  const debugRun = ['analyze', image, '--json'];
  const env = { DEBUG: 'imgscope:layers' };

  it('prints DEBUG lines plain, with a timestamp, where stderr is a pipe', async () => {
    const result = await runCli(debugRun, env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z imgscope:layers layer 0 /m);
    expect(result.stderr).not.toContain('\u001b[');
  });

  it.skipIf(hostLacks("util-linux's script, to give a run a terminal", existsSync('/usr/bin/script')))(
    'colours DEBUG lines where stderr is a terminal',
    async () => {
      // stdout goes to /dev/null, so what the terminal shows is stderr.
      const run = await inTerminal((command) => `${command} > /dev/null`, debugRun, env);
      expect(run.status).toBe(0);
      // debug's coloured form: the namespace in a bold colour, then the message.
      expect(run.stdout).toContain(';1mimgscope:layers \u001b[0mlayer 0 ');
    },
  );
});

describe('stdout: a file, a device or a terminal', () => {
  // A report to a file or a device is written without process.stdout's stream
  // (src/cli/standard-streams.ts): what it writes, and a failure to write it, must stay the same.
  const table = ['analyze', image];

  it('says in one line, exit 2, that stdout cannot be written (a full device), instead of exiting 0', async () => {
    const { cwd, home } = await cliSandbox();
    const full = openSync('/dev/full', 'w');
    try {
      // Not runCli's stdoutFile: reading /dev/full back never ends.
      const run = spawnSync(process.execPath, [`${PROJECT_ROOT}bin/run.js`, ...table, '--json'], {
        cwd,
        env: hermeticEnv(home),
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        'imgscope: error: cannot write to stdout: ENOSPC: no space left on device, write\n',
      );
    } finally {
      closeSync(full);
    }
  });

  it('writes to a file what it writes to a pipe', async () => {
    const output = join(await tempDir(), 'report.txt');
    const piped = await runCli(table);
    const toFile = await runCli(table, {}, { stdoutFile: output });
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe(piped.stdout);
    expect(toFile.stdout).toContain('sha256:75ae28b8ebf8');
  });

  it('warns of no deprecation under --pending-deprecation (zlib’s CRC-32 is then taken from node:zlib)', async () => {
    const plain = await runCli([...table, '--json']);
    const pending = await runCli([...table, '--json'], { NODE_OPTIONS: '--pending-deprecation' });
    expect(pending.stderr).toBe('');
    expect(pending.code).toBe(0);
    expect(pending.stdout).toBe(plain.stdout);
  });

  it.skipIf(hostLacks("util-linux's script, to give a run a terminal", existsSync('/usr/bin/script')))(
    'lays the table out for the terminal’s width where stdout is one',
    async () => {
      const widest = (text: string): number => Math.max(...text.split(/\r?\n/).map((line) => line.length));
      const run = await inTerminal((command) => `stty cols 70; ${command}`, table);
      expect(run.status).toBe(0);
      // The 70-column terminal's table is narrower than the 120 columns assumed without one.
      const piped = await runCli(table);
      expect(widest(run.stdout)).toBeLessThan(widest(piped.stdout));
      expect(run.stdout).toContain('sha256:75ae28b8ebf8');
    },
  );
});
