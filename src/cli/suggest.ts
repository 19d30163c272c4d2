import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to what the user typed, or undefined when none is close enough to be
 * a likely typo (two edits, or a third of a long word's letters, at most 3).
 */
export function closestName(typed: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(2, Math.floor(typed.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(typed, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
