import type { FindingSeverity } from './finding.js';

/** dive's statuses: SKIP is a disabled rule, WARN is reported but does not fail the gate. */
export type GateStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/** Which family a gate rule belongs to. */
export type GateRuleKind = 'dive' | 'budget' | 'findings';

/** What a rule's value counts: bytes, a 0..1 fraction, or a number of things (layers, findings). */
export type GateValueUnit = 'bytes' | 'fraction' | 'count';

/** The outcome of one threshold rule (dive's three, a budget, or the findings gate `failOn`). */
export interface GateRuleResult {
  /** dive's names for dive's rules (`lowestEfficiency`...), the config key for the others. */
  id: string;
  kind: GateRuleKind;
  status: GateStatus;
  unit: GateValueUnit;
  /** What the rule checks, in one sentence (for reports and SARIF rule help). */
  description: string;
  /** The measured value (bytes, a fraction, a count); null where the image has no such value. */
  value: number | null;
  /** The threshold in effect: a number, a severity for `failOn`, null when the rule is disabled. */
  threshold: number | string | null;
  /** The threshold as configured (e.g. "20MB"), null when the rule is disabled by default. */
  configured: string | null;
  /** Where the threshold came from: "default", a file path, or "--flag". */
  source: string;
  message: string;
}

/** A finding that the gate looked at (after per-rule overrides and ignore filters). */
export interface GateFindingResult {
  id: string;
  /** Severity after per-rule overrides. */
  severity: FindingSeverity;
  /** FAIL when at or above `failOn`, WARN below it. */
  status: Extract<GateStatus, 'FAIL' | 'WARN'>;
  title: string;
  message: string;
  layerIndex: number | null;
  wastedBytes: number;
  paths: string[];
  advice: string | null;
}

export interface GateSummary {
  total: number;
  pass: number;
  fail: number;
  warn: number;
  skip: number;
}

/** The result of `--ci`: data only; a failed gate is a result, not an error. */
export interface GateResult {
  passed: boolean;
  rules: GateRuleResult[];
  /** Findings that gate (empty unless findings gating is configured). */
  findings: GateFindingResult[];
  /** Counts over `rules` (the `failOn` rule stands for the findings), as dive's summary line. */
  summary: GateSummary;
  /** Configuration files that were read, in order of increasing precedence. */
  configFiles: string[];
  /** Things the user should know that are not errors (e.g. unknown keys in a .dive-ci file). */
  warnings: string[];
}
