import type { Analysis, Finding, FindingSeverity, RuleInfo } from '../model/index.js';
import type { StepEdit } from './step-edit.js';

/** Tunables of the rules; every field has a default (`DEFAULT_RULE_OPTIONS`). */
export interface RuleOptions {
  /** Paths listed per finding; the rest are counted in `pathsOmitted`. */
  maxPaths: number;
  /** A base image from this size on gets a `large-base-image` note. */
  largeBaseMinBytes: number;
  /** Consecutive RUN layers from this many on get a `many-small-layers` note. */
  minRunLayers: number;
  /** Size rules warn from this share of the image's size (0.01 = 1 %)... */
  worthShare: number;
  /** ...or from this many bytes, whichever is smaller (a 5 MB cache matters in a 2 GB image too). */
  worthCapBytes: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  maxPaths: 5,
  largeBaseMinBytes: 100_000_000,
  minRunLayers: 2,
  worthShare: 0.01,
  worthCapBytes: 1_000_000,
};

/**
 * The bytes a size finding must save to be worth acting on: 1 % of the image, at most 1 MB. The
 * bundled 175 kB example's 7-24 kB findings are well above it (1.75 kB); a 615-byte file in a
 * 147 MB image is far below (1 MB). Below it a size finding is `info`.
 */
export function worthBytes(analysis: Analysis, options: RuleOptions): number {
  return Math.min(Math.ceil(analysis.sizeBytes * options.worthShare), options.worthCapBytes);
}

/** How the threshold reads in rule descriptions and the README. */
export const WORTH_TEXT = 'From 1 % of the image size (at most 1 MB) saved; below that, info.';

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

/**
 * A finding as a rule returns it: with the claims its `wastedBytes` is the sum of, and its
 * Dockerfile change as an edit where it can combine with others on the same step.
 */
export interface RuleFinding extends Finding {
  claims: Claim[];
  edit?: StepEdit;
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
  /**
   * A rule about wasted bytes: its findings that save less than `worthBytes` are `info`, whatever
   * the rule's or the configured severity (they are true, but not worth failing a build over).
   */
  bySize?: boolean;
  detect(analysis: Analysis, options: RuleOptions, context: RuleContext): RuleFinding[];
}

export const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { error: 3, warning: 2, info: 1 };
