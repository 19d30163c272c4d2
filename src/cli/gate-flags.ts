import * as Flags from '@oclif/core/flags';
import { UsageError } from '../errors.js';
import { FAIL_ON_VALUES, THRESHOLD_RULES, loadGateConfig, type GateFlagValues } from '../services/index.js';
import type { GateConfig } from '../gate/index.js';

const thresholdFlags = Object.fromEntries(
  THRESHOLD_RULES.flatMap((rule) => {
    const kebab = rule.flags.find((name) => name.includes('-')) ?? rule.id;
    return rule.flags.map((name) => [
      name,
      Flags.string({
        description:
          name === kebab
            ? `(with --ci) ${rule.description} "off" disables it.`
            : `same as --${kebab} (dive's flag)`,
        helpGroup: rule.kind === 'dive' ? 'DIVE RULE' : 'BUDGET',
      }),
    ]);
  }),
) as Record<string, ReturnType<typeof Flags.string>>;

/** The flags of `--ci` mode: dive's, imgscope's budgets and findings gating, and report files. */
export const gateFlags = {
  ci: Flags.boolean({
    description: 'gate the image: check it against CI rules and exit 1 when one fails',
    default: false,
    helpGroup: 'CI',
  }),
  'ci-config': Flags.string({
    description: 'dive CI rules file to read instead of ./.dive-ci',
    helpGroup: 'CI',
  }),
  config: Flags.string({
    description: 'imgscope config file to read instead of the nearest .imgscope.yml',
    helpGroup: 'CI',
  }),
  ...thresholdFlags,
  'fail-on': Flags.string({
    description: 'fail the gate on findings of this severity or worse',
    options: [...FAIL_ON_VALUES],
    helpGroup: 'FINDINGS',
  }),
  'finding-rule': Flags.string({
    description: 'turn a finding rule off or change its severity: ID=off|error|warning|info (repeatable)',
    multiple: true,
    helpGroup: 'FINDINGS',
  }),
  'ignore-path': Flags.string({
    description: 'ignore findings about image paths matching this glob (repeatable)',
    multiple: true,
    helpGroup: 'FINDINGS',
  }),
  'ignore-base-layers': Flags.string({
    description: 'ignore findings in the base image: true (the bottom layer) or a number of layers',
    helpGroup: 'FINDINGS',
  }),
  junit: Flags.string({ description: 'write the gate as JUnit XML to this file', helpGroup: 'CI' }),
  sarif: Flags.string({
    description: 'write findings and failed rules as SARIF 2.1.0 to this file',
    helpGroup: 'CI',
  }),
  markdown: Flags.string({ description: 'write the gate as Markdown to this file', helpGroup: 'CI' }),
};

type ParsedGateFlags = { ci: boolean } & Record<string, string | string[] | boolean | undefined>;

/** Gate flag values as the pure gate reads them; refuses gate flags without `--ci`. */
export function gateFlagValues(flags: ParsedGateFlags): GateFlagValues {
  const text = (name: string): string | undefined => {
    const value = flags[name];
    return typeof value === 'string' ? value : undefined;
  };
  const list = (name: string): string[] | undefined => {
    const value = flags[name];
    return Array.isArray(value) ? value : undefined;
  };
  if (!flags.ci) {
    const given = Object.keys(gateFlags).filter((name) => name !== 'ci' && flags[name] !== undefined);
    if (given.length > 0) {
      throw new UsageError(`${given.map((n) => `--${n}`).join(', ')} only work with --ci`, {
        hint: 'add --ci to gate the image',
      });
    }
  }
  const thresholds: Record<string, string | undefined> = {};
  for (const rule of THRESHOLD_RULES) for (const name of rule.flags) thresholds[name] = text(name);
  const failOn = text('fail-on');
  const findingRules = list('finding-rule');
  const ignorePaths = list('ignore-path');
  const ignoreBaseLayers = text('ignore-base-layers');
  return {
    thresholds,
    ...(failOn === undefined ? {} : { failOn }),
    ...(findingRules === undefined ? {} : { findingRules }),
    ...(ignorePaths === undefined ? {} : { ignorePaths }),
    ...(ignoreBaseLayers === undefined ? {} : { ignoreBaseLayers }),
  };
}

/**
 * The gate of a command with the gate flags, read before any image (configuration problems come
 * first): null without `--ci`, which also refuses gate flags given without it.
 */
export async function gateConfigOf(
  flags: ParsedGateFlags & { 'ci-config'?: string | undefined; config?: string | undefined },
): Promise<GateConfig | null> {
  const values = gateFlagValues(flags);
  if (!flags.ci) return null;
  return loadGateConfig({
    cwd: process.cwd(),
    flags: values,
    ...(flags['ci-config'] === undefined ? {} : { ciConfigPath: flags['ci-config'] }),
    ...(flags.config === undefined ? {} : { configPath: flags.config }),
  });
}
