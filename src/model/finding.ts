/** How bad a finding is; `error` findings are the ones a default CI gate fails on. */
export type FindingSeverity = 'error' | 'warning' | 'info';

/** A path a finding is about, with the bytes it accounts for. */
export interface FindingPath {
  path: string;
  sizeBytes: number;
}

/** The Dockerfile instruction as recovered from the image history, and what to write instead. */
export interface DockerfileAdvice {
  before: string;
  after: string;
}

export interface FindingAdvice {
  text: string;
  dockerfile?: DockerfileAdvice;
}

/**
 * One problem found in an image (`src/findings/`): what it is, where, what it
 * costs, and what to change in the Dockerfile.
 */
export interface Finding {
  /** Stable kebab-case id of the rule that found it, e.g. `apt-lists-left`. */
  id: string;
  severity: FindingSeverity;
  /** One line, e.g. "apt package lists left in the image". */
  title: string;
  /** This occurrence in one sentence: what, where, how much. Never a secret's value. */
  message: string;
  /** Layer that introduced the problem, where one layer did. */
  layerIndex: number | null;
  /** That layer's history `created_by` (secret-looking values redacted). */
  createdBy: string | null;
  /** Bytes the advised change would save (0 for findings that are not about size). */
  wastedBytes: number;
  /** The largest few paths, largest first. */
  paths: FindingPath[];
  /** How many more paths the finding covers than `paths` lists. */
  pathsOmitted: number;
  advice: FindingAdvice;
}

export interface FindingsSummary {
  /** Bytes all findings together would save, each stored byte counted once. */
  potentialSavingsBytes: number;
  findingCounts: Record<FindingSeverity, number>;
}

/** A finding a fix settles: its rule id and its position in `FindingsReport.findings`. */
export interface FixedFinding {
  id: string;
  index: number;
}

/**
 * One Dockerfile change for one build step: every finding that rewrites the same history step
 * (the same instructions in `before`) combined into one pasteable `after`.
 */
export interface StepFix {
  /** The layer of the first step the fix rewrites; null when the step made no layer (USER, ENV, .dockerignore). */
  step: number | null;
  /** Every layer whose instruction `before` shows, in order (one for a RUN rewrite, two or more for a merge). */
  layers: number[];
  before: string;
  after: string;
  /** The findings it settles, most valuable first. */
  findings: FixedFinding[];
  /** Stored bytes those findings account for, each counted once. */
  savingsBytes: number;
}

/** Findings ranked most valuable first (severity, then bytes saved), their fixes and summary. */
export interface FindingsReport {
  findings: Finding[];
  /** One per step, in the order of their most valuable finding. */
  fixes: StepFix[];
  summary: FindingsSummary;
}

/** What `imgscope rules` lists about a rule. */
export interface RuleInfo {
  id: string;
  severity: FindingSeverity;
  title: string;
  /** What the rule checks, in a sentence or two. */
  description: string;
  /** Ids of the same check in well-known linters (hadolint DLxxxx, dockle CIS-DI-/DKL-DI-). */
  related: string[];
}

/** Disable rules or change their severity (from flags or a config file). */
export interface RuleSettings {
  disabled: ReadonlySet<string>;
  severity: ReadonlyMap<string, FindingSeverity>;
}
