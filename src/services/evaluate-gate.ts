import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { RULES } from '../findings/index.js';
import {
  evaluateGate,
  parseDiveCiFile,
  parseGateFlags,
  parseImgscopeConfigFile,
  resolveGateConfig,
  type GateAnalysis,
  type GateConfig,
  type GateFinding,
  type GateFlagValues,
  type ParsedConfigLayer,
} from '../gate/index.js';
import type { GateResult } from '../model/index.js';

// What commands need to declare the gate's flags, so they do not reach into src/gate.
export { THRESHOLD_RULES, FAIL_ON_VALUES, type GateFlagValues } from '../gate/index.js';

/** The finding rule ids a configuration may name. */
const RULE_IDS = RULES.map((rule) => rule.id);

/** dive reads this file from the working directory. */
export const DIVE_CI_FILE = '.dive-ci';
/** imgscope's own config, found in the working directory or the nearest parent that has one. */
export const IMGSCOPE_CONFIG_FILES = ['.imgscope.yml', '.imgscope.yaml'] as const;

export interface GateConfigOptions {
  /** Where `.dive-ci` is looked for and `.imgscope.yml` discovery starts. */
  cwd: string;
  /** `--ci-config FILE`: a `.dive-ci`-format file instead of `./.dive-ci`; must exist. */
  ciConfigPath?: string;
  /** `--config FILE`: an `.imgscope.yml`-format file instead of discovery; must exist. */
  configPath?: string;
  flags: GateFlagValues;
}

/**
 * Reads the gate configuration: dive's defaults, then `.dive-ci` (or `--ci-config`), then
 * `.imgscope.yml` (or `--config`), then flags. Every problem in every source is reported in
 * one ConfigError (exit 2).
 */
export async function loadGateConfig(options: GateConfigOptions): Promise<GateConfig> {
  const layers: ParsedConfigLayer[] = [];
  const diveCi = await pickFile(options.cwd, options.ciConfigPath, '--ci-config', async () => {
    const candidate = path.join(options.cwd, DIVE_CI_FILE);
    return (await isFile(candidate)) ? candidate : undefined;
  });
  if (diveCi !== undefined) layers.push(parseDiveCiFile(await readConfig(diveCi.file), diveCi.shown));

  const imgscope = await pickFile(options.cwd, options.configPath, '--config', () =>
    discoverUpward(options.cwd),
  );
  if (imgscope !== undefined)
    layers.push(parseImgscopeConfigFile(await readConfig(imgscope.file), imgscope.shown, RULE_IDS));

  layers.push(parseGateFlags(options.flags, RULE_IDS));
  return resolveGateConfig(layers);
}

/**
 * Checks an analysis and its findings against a loaded configuration. Loading is separate so a
 * bad configuration is reported before the (slow) analysis runs.
 */
export function evaluateImageGate(
  analysis: GateAnalysis,
  findings: readonly GateFinding[],
  config: GateConfig,
): GateResult {
  return evaluateGate(analysis, findings, config);
}

interface PickedFile {
  file: string;
  /** The path as reports show it: relative to the working directory where that is shorter. */
  shown: string;
}

async function pickFile(
  cwd: string,
  explicit: string | undefined,
  flag: string,
  discover: () => Promise<string | undefined>,
): Promise<PickedFile | undefined> {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    if (!(await isFile(file))) {
      throw new ConfigError(`${flag} ${explicit}: no such file`, { hint: `check the path given to ${flag}` });
    }
    return { file, shown: explicit };
  }
  const found = await discover();
  if (found === undefined) return undefined;
  const relative = path.relative(cwd, found);
  return { file: found, shown: relative.length < found.length ? relative : found };
}

async function discoverUpward(start: string): Promise<string | undefined> {
  let dir = path.resolve(start);
  for (;;) {
    for (const name of IMGSCOPE_CONFIG_FILES) {
      const candidate = path.join(dir, name);
      if (await isFile(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function readConfig(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}
