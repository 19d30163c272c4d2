import { type CliResult, type CliRun, runCli, startCli } from './run-cli.js';

export type { CliRun };
export { startCli };

/** The built CLI against a test registry: hermetic environment plus `env`, optional stdin. */
export function runImgscope(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return runCli(args, env, { stdin });
}
