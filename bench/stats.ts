/** Order statistics of the benchmarks' repeated runs. */

/** The middle value (the upper of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** The lower and upper quartiles (nearest ranks): where the middle half of the values lie. */
export function quartiles(values: number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const last = sorted.length - 1;
  return [sorted[Math.floor(last / 4)] ?? NaN, sorted[Math.ceil((last * 3) / 4)] ?? NaN];
}
