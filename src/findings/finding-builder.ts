import type { Analysis, FindingAdvice, FindingPath } from '../model/index.js';
import { entryKey } from './layer-timeline.js';
import type { Claim, Rule, RuleFinding } from './rule.js';
import { redactSecrets } from './secret-names.js';
import type { StepEdit } from './step-edit.js';

export interface FindingParts {
  layerIndex: number | null;
  message: string;
  /** The bytes the advice saves; empty for findings about safety. */
  claims?: Claim[];
  /** Paths to show when they are not claims (secrets, the root user...). */
  paths?: FindingPath[];
  advice: FindingAdvice;
  /** The Dockerfile change as an edit (the engine combines edits of the same step). */
  edit?: StepEdit;
  title?: string;
}

/** Assembles a finding: severity and title from the rule, `createdBy` from history, paths ranked. */
export function buildFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'title'>,
  analysis: Analysis,
  parts: FindingParts,
  maxPaths: number,
): RuleFinding {
  const claims = parts.claims ?? [];
  const listed = parts.paths ?? pathsOfClaims(claims);
  const createdBy = parts.layerIndex === null ? null : (analysis.layers[parts.layerIndex]?.createdBy ?? null);
  const advice: FindingAdvice = { text: redactSecrets(parts.advice.text) };
  if (parts.advice.dockerfile !== undefined) {
    advice.dockerfile = {
      before: redactSecrets(parts.advice.dockerfile.before),
      after: redactSecrets(parts.advice.dockerfile.after),
    };
  }
  return {
    id: rule.id,
    severity: rule.severity,
    title: parts.title ?? rule.title,
    message: redactSecrets(parts.message),
    layerIndex: parts.layerIndex,
    createdBy: createdBy === null ? null : redactSecrets(createdBy),
    wastedBytes: sumClaims(claims),
    ...rankPaths(listed, maxPaths),
    advice,
    claims,
    ...(parts.edit === undefined ? {} : { edit: parts.edit }),
  };
}

/** Claims by path (a path may be claimed in several layers), bytes added up. */
export function pathsOfClaims(claims: Claim[]): FindingPath[] {
  const byPath = new Map<string, number>();
  for (const claim of claims) byPath.set(claim.path, (byPath.get(claim.path) ?? 0) + claim.bytes);
  return [...byPath].map(([path, sizeBytes]) => ({ path, sizeBytes }));
}

/** Largest first, ties by name. */
function before(a: FindingPath, b: FindingPath): boolean {
  return a.sizeBytes > b.sizeBytes || (a.sizeBytes === b.sizeBytes && a.path < b.path);
}

/**
 * The largest few paths (ties by name), and how many were left out. One pass keeping the top
 * few: a `chown -R` finding can hold a million paths, and only five are shown.
 */
export function rankPaths(
  paths: FindingPath[],
  maxPaths: number,
): { paths: FindingPath[]; pathsOmitted: number } {
  const top: FindingPath[] = [];
  for (const path of paths) {
    if (top.length === maxPaths && !before(path, top[maxPaths - 1] as FindingPath)) continue;
    let at = top.length;
    while (at > 0 && before(path, top[at - 1] as FindingPath)) at--;
    top.splice(at, 0, path);
    if (top.length > maxPaths) top.pop();
  }
  return { paths: top, pathsOmitted: Math.max(0, paths.length - top.length) };
}

/** Bytes of distinct claims. */
export function sumClaims(claims: Claim[]): number {
  const seen = new Set<number>();
  let total = 0;
  for (const claim of claims) {
    const key = entryKey(claim.layer, claim.index);
    if (seen.has(key)) continue;
    seen.add(key);
    total += claim.bytes;
  }
  return total;
}

/**
 * "12.3 kB"-free byte counts for messages: exact, with thousands separators. Grouped by hand:
 * the first toLocaleString of a run loads ICU's number formatting, 10-20 ms of every start-up.
 */
export function bytesText(bytes: number): string {
  const digits = Number.isSafeInteger(bytes) ? String(Math.abs(bytes)) : null;
  if (digits === null) return `${bytes.toLocaleString('en-US')} bytes`;
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${bytes < 0 ? '-' : ''}${grouped} bytes`;
}
