/** The candidate nearest to a mistyped word (for "did you mean"), or undefined if none is close. */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestWord(word, candidates);
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

/**
 * Why a finding rule id is not accepted, or undefined when it is (or when the known ids are not
 * given): a typo must not silently re-grade or disable nothing.
 */
export function unknownRuleReason(id: string, known: readonly string[]): string | undefined {
  if (known.length === 0 || known.includes(id)) return undefined;
  return `unknown finding rule${didYouMean(id, known)}; see imgscope rules`;
}
