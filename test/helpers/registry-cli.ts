import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT, type CliResult } from './run-cli.js';

export interface CliRun {
  child: ChildProcess;
  result: Promise<CliResult>;
}

/** Starts the built CLI with its own environment (no inherited proxies or credentials) and optional stdin. */
export function startCli(args: string[], env: Record<string, string>, stdin?: string): CliRun {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NO_COLOR: '1',
  };
  const child = spawn(process.execPath, [`${PROJECT_ROOT}bin/run.js`, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...base, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(stdin ?? '');
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}

export function runImgscope(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return startCli(args, env, stdin).result;
}
