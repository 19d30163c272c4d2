import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIVE_FIXTURES = fileURLToPath(new URL('../../fixtures/dive/', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm run build` first) as a user would, with colour and debug off. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${PROJECT_ROOT}bin/run.js`, ...args], {
      cwd: PROJECT_ROOT,
      // NODE_ENV=test (set by vitest) makes oclif print developer warnings a user never sees.
      env: { ...process.env, NO_COLOR: '1', DEBUG: '', NODE_ENV: 'production', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one-line error contract: a single line, no stack trace. */
export function expectOneLineError(result: CliResult): string {
  const lines = result.stderr.trimEnd().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(result.stderr)) {
    throw new Error(`expected one stderr line, got:\n${result.stderr}`);
  }
  return lines[0] ?? '';
}
