import {
  dockerfileLine,
  parseCreatedBy,
  type LayerDiff,
  type LayerDiffRow,
  type LayerReport,
} from '../model/index.js';

/** A rebuild counts as a cascade when the layers it forced weigh this many times the change. */
const CASCADE_FACTOR = 4;

/**
 * The step a history entry records, as the Dockerfile line it came from (the findings' parser:
 * the same for the classic builder and BuildKit, whatever shell SHELL set), without what changes
 * on every build of it or differs between builders: build-arg values, and the sources of
 * COPY/ADD (the classic builder records `dir:<hash>`, BuildKit the names), so those are keyed by
 * their destination.
 */
export function stepKey(createdBy: string): string {
  const instruction = parseCreatedBy(createdBy);
  if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
    const destination = instruction.args.split(/\s+/).at(-1) ?? '';
    return `${instruction.keyword} ${destination}`;
  }
  return dockerfileLine(instruction);
}

/**
 * Aligns the layers of two builds: the shared prefix (same diffIDs) is the unchanged base; the
 * rest is matched by step (longest common subsequence of their commands), so a step that ran
 * again with other results is "changed" and steps only one side has are added or removed.
 */
export function alignLayers(before: LayerReport[], after: LayerReport[]): LayerDiff {
  let prefix = 0;
  while (
    prefix < before.length &&
    prefix < after.length &&
    before[prefix]?.diffId != null &&
    before[prefix]?.diffId === after[prefix]?.diffId
  ) {
    prefix++;
  }
  const b = before.slice(prefix);
  const a = after.slice(prefix);
  const rows = matchSteps(b, a);
  const firstDivergence = prefix < Math.max(before.length, after.length) ? prefix : null;
  return {
    sharedPrefixLayers: prefix,
    sharedPrefixBytes: before.slice(0, prefix).reduce((sum, layer) => sum + layer.sizeBytes, 0),
    firstDivergence,
    rows,
    rebuildCascade: findCascade(rows),
  };
}

function matchSteps(before: LayerReport[], after: LayerReport[]): LayerDiffRow[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: longest common subsequence of before[i..] and after[j..] by step key.
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = lcs[i]!;
      row[j] =
        stepKey(before[i]!.createdBy) === stepKey(after[j]!.createdBy)
          ? lcs[i + 1]![j + 1]! + 1
          : Math.max(lcs[i + 1]![j]!, row[j + 1]!);
    }
  }
  const rows: LayerDiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const b = before[i];
    const a = after[j];
    if (b !== undefined && a !== undefined && stepKey(b.createdBy) === stepKey(a.createdBy)) {
      rows.push(row(b.diffId !== null && b.diffId === a.diffId ? 'unchanged' : 'changed', b, a));
      i++;
      j++;
    } else if (a !== undefined && (b === undefined || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      rows.push(row('added', undefined, a));
      j++;
    } else if (b !== undefined) {
      rows.push(row('removed', b, undefined));
      i++;
    }
  }
  return rows;
}

function row(
  status: LayerDiffRow['status'],
  before: LayerReport | undefined,
  after: LayerReport | undefined,
): LayerDiffRow {
  return {
    status,
    beforeIndex: before?.index ?? null,
    afterIndex: after?.index ?? null,
    createdBy: (after ?? before)?.createdBy ?? '',
    beforeSizeBytes: before?.sizeBytes ?? null,
    afterSizeBytes: after?.sizeBytes ?? null,
  };
}

/**
 * A cheap first change (say `COPY . .`) that made later, unchanged steps (say `RUN npm ci`)
 * run again: the cache was lost for them only because of their order.
 */
function findCascade(rows: LayerDiffRow[]): LayerDiff['rebuildCascade'] {
  const first = rows[0];
  if (first === undefined || first.status === 'unchanged') return null;
  const rebuilt = rows.slice(1).filter((r) => r.status === 'changed');
  const rebuiltBytes = rebuilt.reduce((sum, r) => sum + (r.afterSizeBytes ?? 0), 0);
  const changedBytes = Math.max(first.beforeSizeBytes ?? 0, first.afterSizeBytes ?? 0);
  if (rebuilt.length === 0 || rebuiltBytes <= changedBytes * CASCADE_FACTOR) return null;
  return { changedCommand: first.createdBy, changedBytes, rebuiltLayers: rebuilt.length, rebuiltBytes };
}
