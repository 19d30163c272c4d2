import type { Analysis, Finding, FindingSeverity, RuleInfo } from '../model/index.js';

/** Tunables of the rules; every field has a default (`DEFAULT_RULE_OPTIONS`). */
export interface RuleOptions {
  /** Paths listed per finding; the rest are counted in `pathsOmitted`. */
  maxPaths: number;
  /** A base image from this size on gets a `large-base-image` note. */
  largeBaseMinBytes: number;
  /** Consecutive RUN layers from this many on get a `many-small-layers` note. */
  minRunLayers: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  maxPaths: 5,
  largeBaseMinBytes: 100_000_000,
  minRunLayers: 2,
};

/**
 * Stored bytes a finding says can be saved: one entry of one layer. Two findings that claim the
 * same entry are about the same bytes, which the summary counts once.
 */
export interface Claim {
  layer: number;
  /** Index of the entry in `analysis.contents[layer].entries`. */
  index: number;
  path: string;
  bytes: number;
}

/** A finding as a rule returns it: with the claims its `wastedBytes` is the sum of. */
export interface RuleFinding extends Finding {
  claims: Claim[];
}

/** What the engine tells a general rule: the entries specific findings already explain. */
export interface RuleContext {
  /** `entryKey`s of claimed entries. */
  claimed: ReadonlySet<number>;
}

export interface Rule extends RuleInfo {
  /**
   * A catch-all rule (`deleted-in-later-layer`) runs after the specific ones and leaves out the
   * entries they claimed, so the same waste is explained once, by the most specific rule.
   */
  general?: boolean;
  detect(analysis: Analysis, options: RuleOptions, context: RuleContext): RuleFinding[];
}

export const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { error: 3, warning: 2, info: 1 };
