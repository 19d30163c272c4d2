import type { DeltaRow } from '../model/index.js';

export function deltaRow(before: number | null, after: number | null): DeltaRow {
  const delta = before === null || after === null ? null : after - before;
  return { before, after, delta, percent: delta === null || !before ? null : delta / before };
}
