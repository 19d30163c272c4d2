import type { FindingSeverity } from '../model/index.js';
import type { ThresholdRuleId } from './rule-catalog.js';
import type { Threshold } from './threshold.js';

/** The lowest severity that fails the gate, or `never` to report findings without failing. */
export type FailOn = FindingSeverity | 'never';

/** Per finding rule: turn it off, or give its findings another severity. */
export type FindingRuleSetting = FindingSeverity | 'off';

export interface FindingsGateConfig {
  /**
   * null: findings do not take part in the gate. Without any findings configuration it is
   * `error` and `implicit`: only failing findings (secrets) are listed, so on an image without
   * one the gate reads exactly as dive's.
   */
  failOn: { value: FailOn; source: string; implicit?: boolean } | null;
  rules: Record<string, FindingRuleSetting>;
  /** Globs over image paths; a finding whose paths all match is ignored. */
  ignorePaths: string[];
  /** Findings introduced by the first N layers (the base image) are ignored. */
  ignoreBaseLayers: number;
}

/** Everything the gate needs, resolved from defaults, files and flags. */
export interface GateConfig {
  thresholds: Record<ThresholdRuleId, Threshold>;
  findings: FindingsGateConfig;
  /** Files read, lowest precedence first. */
  configFiles: string[];
  warnings: string[];
}

/** What one source (a file or the command line) sets; unset keys fall through to lower ones. */
export interface GateConfigLayer {
  source: string;
  /** Set when the source is a file. */
  file?: string;
  thresholds: Partial<Record<ThresholdRuleId, Threshold>>;
  failOn?: FailOn;
  findingRules?: Record<string, FindingRuleSetting>;
  ignorePaths?: string[];
  ignoreBaseLayers?: number;
}

/** One thing wrong with the configuration: where, which key, why. */
export interface ConfigIssue {
  source: string;
  line?: number;
  key: string;
  message: string;
}

/** The result of reading one source: what it sets, what is wrong with it, what to mention. */
export interface ParsedConfigLayer {
  layer: GateConfigLayer;
  issues: ConfigIssue[];
  warnings: string[];
}
