import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { tempDir } from './temp.js';
import { watchdog } from './watchdog.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = `${PROJECT_ROOT}fixtures/`;
export const DIVE_FIXTURES = `${FIXTURES}dive/`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  result: Promise<CliResult>;
}

export interface CliOptions {
  /** Working directory (default: a fresh empty one, so no .imgscope.yml or .dive-ci applies). */
  cwd?: string;
  stdin?: string;
  /** Kill the run and fail naming it after this long: a hang watchdog, not a speed limit. */
  watchdogMs?: number;
  /** stdout to this file, as `> FILE` gives it, instead of a pipe; the result's stdout is its text. */
  stdoutFile?: string;
}

/**
 * The whole environment a CLI run gets: nothing inherited but PATH, so no GITHUB_*,
 * DOCKER_CONFIG, REGISTRY_AUTH_FILE, proxy or credential of the developer's machine changes a
 * result. NODE_ENV=production: vitest's NODE_ENV=test makes oclif print developer warnings.
 */
export function hermeticEnv(home: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NO_COLOR: '1',
    NODE_ENV: 'production',
    ...env,
  };
}

/** A fresh working directory with a fresh HOME inside it. */
export async function cliSandbox(): Promise<{ cwd: string; home: string }> {
  const cwd = await tempDir('imgscope-cli-');
  const home = join(cwd, '.home');
  await mkdir(home);
  return { cwd, home };
}

/**
 * A fresh working directory where `fixtures` is the project's fixtures folder, for runs whose
 * output shows the path as given (golden files name `fixtures/...`).
 */
export async function fixturesCwd(): Promise<string> {
  const { cwd } = await cliSandbox();
  await symlink(FIXTURES, join(cwd, 'fixtures'));
  return cwd;
}

/**
 * The CLI the tests run: this checkout's, or another checkout's where IMGSCOPE_CLI_ROOT names it
 * (bench/json-identical.ts records the hostile catalogue's outputs of the code before a change).
 */
const CLI = `${process.env['IMGSCOPE_CLI_ROOT']?.replace(/\/?$/, '/') ?? PROJECT_ROOT}bin/run.js`;

/** Starts the built CLI (`npm run build` first) as a user would, hermetically (see hermeticEnv). */
export async function startCli(
  args: string[],
  env: Record<string, string> = {},
  options: CliOptions = {},
): Promise<CliRun> {
  const sandbox = await cliSandbox();
  const output =
    options.stdoutFile === undefined
      ? null
      : { path: options.stdoutFile, fd: openSync(options.stdoutFile, 'w') };
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? sandbox.cwd,
    env: hermeticEnv(sandbox.home, env),
    stdio: ['pipe', output?.fd ?? 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(options.stdin ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (output !== null) {
        closeSync(output.fd);
        stdout = readFileSync(output.path, 'utf8');
      }
      resolve({ code, stdout, stderr });
    });
  });
  const result =
    options.watchdogMs === undefined
      ? done
      : watchdog(done, `imgscope ${args.join(' ')}`, options.watchdogMs, () => child.kill('SIGKILL'));
  return { child, result };
}

/** Runs the built CLI hermetically; `env` adds to or overrides the minimal environment. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: CliOptions = {},
): Promise<CliResult> {
  return (await startCli(args, env, options)).result;
}

/**
 * `imgscope analyze ARGS --json` as a run that must succeed: the test fails unless it exits 0
 * with nothing on stderr. The report it printed.
 */
export async function analyzeJson<Report>(args: string[]): Promise<Report> {
  const result = await runCli(['analyze', ...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

/** The one-line error contract: a single line, no stack trace. */
export function expectOneLineError(result: CliResult): string {
  const lines = result.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(result.stderr)) {
    throw new Error(`expected one stderr line, got:\n${result.stderr}`);
  }
  return lines[0] ?? '';
}
