import type { DirectoryTotal, FileChange, FileList, FilesDiff, MergedFile } from '../model/index.js';

/**
 * Compares the final filesystems of two images path by path: both lists are in path order, so one
 * pass over each suffices (two million-file images are never held as objects). Counts, bytes and
 * per-directory totals cover every change; `changes` keeps the `keep` largest (all by default),
 * so a diff that lists 20 files holds 20 however many changed.
 */
export function diffFiles(
  before: FileList,
  after: FileList,
  depth: number,
  keep = Number.POSITIVE_INFINITY,
): FilesDiff {
  const totals: FilesDiff = {
    added: 0,
    removed: 0,
    modified: 0,
    addedBytes: 0,
    removedBytes: 0,
    changes: [],
    directories: [],
  };
  const directories = new Map<string, DirectoryTotal>();
  let changes: FileChange[] = [];
  const record = (change: FileChange): void => {
    totals[change.kind] += 1;
    if (change.kind === 'added') totals.addedBytes += change.afterSizeBytes ?? 0;
    if (change.kind === 'removed') totals.removedBytes += change.beforeSizeBytes ?? 0;
    const dir = directoryAt(change.path, depth);
    let total = directories.get(dir);
    if (total === undefined) {
      total = { path: dir, deltaBytes: 0, added: 0, removed: 0, modified: 0 };
      directories.set(dir, total);
    }
    total.deltaBytes += (change.afterSizeBytes ?? 0) - (change.beforeSizeBytes ?? 0);
    total[change.kind] += 1;
    if (keep === 0) return;
    changes.push(change);
    // Trimmed in batches: sorting 2 x keep now and then is cheaper than a heap per change.
    if (changes.length >= 2 * keep) changes = largest(changes, keep);
  };
  const olderFiles = before[Symbol.iterator]();
  const newerFiles = after[Symbol.iterator]();
  let older = olderFiles.next();
  let newer = newerFiles.next();
  while (!older.done || !newer.done) {
    if (!older.done && (newer.done || older.value.path < newer.value.path)) {
      const file = older.value;
      record({
        path: file.path,
        kind: 'removed',
        beforeSizeBytes: file.size,
        afterSizeBytes: null,
        changed: [],
      });
      older = olderFiles.next();
    } else if (!newer.done && (older.done || newer.value.path < older.value.path)) {
      const file = newer.value;
      record({
        path: file.path,
        kind: 'added',
        beforeSizeBytes: null,
        afterSizeBytes: file.size,
        changed: [],
      });
      newer = newerFiles.next();
    } else if (!older.done && !newer.done) {
      const changed = differences(older.value, newer.value);
      if (changed.length > 0) {
        record({
          path: newer.value.path,
          kind: 'modified',
          beforeSizeBytes: older.value.size,
          afterSizeBytes: newer.value.size,
          changed,
        });
      }
      older = olderFiles.next();
      newer = newerFiles.next();
    }
  }
  return {
    ...totals,
    changes: largest(changes, keep),
    directories: [...directories.values()].sort(
      (x, y) => Math.abs(y.deltaBytes) - Math.abs(x.deltaBytes) || (x.path < y.path ? -1 : 1),
    ),
  };
}

/** The `keep` largest changes, largest first (ties by path). */
function largest(changes: FileChange[], keep: number): FileChange[] {
  changes.sort((x, y) => weight(y) - weight(x) || (x.path < y.path ? -1 : 1));
  if (changes.length > keep) changes.length = keep;
  return changes;
}

function differences(before: MergedFile, after: MergedFile): FileChange['changed'] {
  const changed: FileChange['changed'] = [];
  if (before.type !== after.type) changed.push('type');
  if (before.contentHash !== after.contentHash || before.linkTarget !== after.linkTarget)
    changed.push('content');
  if (before.size !== after.size) changed.push('size');
  if ((before.mode & 0o7777) !== (after.mode & 0o7777)) changed.push('mode');
  if (before.uid !== after.uid || before.gid !== after.gid) changed.push('owner');
  return changed;
}

/** Largest first: the bigger of the two sizes a change involves. */
function weight(change: FileChange): number {
  return Math.max(change.beforeSizeBytes ?? 0, change.afterSizeBytes ?? 0);
}

/** The first `depth` components of a file's directory: "/usr/lib/x/y.so" at depth 2 -> "/usr/lib". */
export function directoryAt(path: string, depth: number): string {
  const parts = path.split('/').slice(1, -1).slice(0, depth);
  return '/' + parts.join('/');
}
