import type { PackageChange, PackageRecord, PackagesDiff } from '../model/index.js';
import { compareVersions, semverChange } from '../packages/index.js';

/**
 * Packages added, removed, upgraded and downgraded, with what each change weighs. OS packages
 * are matched by name and architecture; Python and npm packages also by where they are
 * installed, as one image can hold several copies of the same name.
 */
export function diffPackages(
  before: readonly PackageRecord[],
  after: readonly PackageRecord[],
): PackagesDiff {
  const left = byKey(before);
  const right = byKey(after);
  const changes: PackageChange[] = [];
  for (const [key, old] of left) {
    const now = right.get(key);
    if (now === undefined) {
      changes.push(change('removed', old, null));
      continue;
    }
    const order = compareVersions(now.ecosystem, old.version, now.version);
    if (order !== 0) changes.push(change(order < 0 ? 'upgraded' : 'downgraded', old, now));
  }
  for (const [key, now] of right) if (!left.has(key)) changes.push(change('added', null, now));
  changes.sort(
    (a, b) =>
      Math.abs(b.deltaBytes) - Math.abs(a.deltaBytes) ||
      (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const count = (kind: PackageChange['kind']) => changes.filter((entry) => entry.kind === kind).length;
  return {
    added: count('added'),
    removed: count('removed'),
    upgraded: count('upgraded'),
    downgraded: count('downgraded'),
    deltaBytes: changes.reduce((sum, entry) => sum + entry.deltaBytes, 0),
    changes,
  };
}

function byKey(records: readonly PackageRecord[]): Map<string, PackageRecord> {
  const map = new Map<string, PackageRecord>();
  for (const record of records) {
    const where =
      record.ecosystem === 'npm' || record.ecosystem === 'python'
        ? record.metadataPath.slice(0, record.metadataPath.lastIndexOf('/'))
        : (record.architecture ?? '');
    // The name of a Python distribution directory carries its version: match by the directory holding it.
    const place = record.ecosystem === 'python' ? where.slice(0, where.lastIndexOf('/')) : where;
    map.set(`${record.ecosystem}\0${record.name}\0${place}`, record);
  }
  return map;
}

function change(
  kind: PackageChange['kind'],
  before: PackageRecord | null,
  after: PackageRecord | null,
): PackageChange {
  const record = after ?? before;
  const beforeSize = before?.sizeBytes ?? null;
  const afterSize = after?.sizeBytes ?? null;
  return {
    kind,
    ecosystem: record?.ecosystem ?? 'deb',
    name: record?.name ?? '',
    beforeVersion: before?.version ?? null,
    afterVersion: after?.version ?? null,
    beforeSizeBytes: beforeSize,
    afterSizeBytes: afterSize,
    deltaBytes: (afterSize ?? 0) - (beforeSize ?? 0),
    semverChange:
      before !== null && after !== null ? semverChange(after.ecosystem, before.version, after.version) : null,
  };
}
