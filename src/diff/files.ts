import type { DirectoryTotal, FileChange, FileList, FilesDiff, MergedFile } from '../model/index.js';

/**
 * Compares the final filesystems of two images path by path: both lists are in path order, so one
 * pass over each suffices (two million-file images are never held as objects).
 */
export function diffFiles(before: FileList, after: FileList, depth: number): FilesDiff {
  const changes: FileChange[] = [];
  const olderFiles = before[Symbol.iterator]();
  const newerFiles = after[Symbol.iterator]();
  let older = olderFiles.next();
  let newer = newerFiles.next();
  while (!older.done || !newer.done) {
    if (!older.done && (newer.done || older.value.path < newer.value.path)) {
      const file = older.value;
      changes.push({
        path: file.path,
        kind: 'removed',
        beforeSizeBytes: file.size,
        afterSizeBytes: null,
        changed: [],
      });
      older = olderFiles.next();
    } else if (!newer.done && (older.done || newer.value.path < older.value.path)) {
      const file = newer.value;
      changes.push({
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
        changes.push({
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
  changes.sort((x, y) => weight(y) - weight(x) || (x.path < y.path ? -1 : 1));
  const count = (kind: FileChange['kind']): number => changes.filter((c) => c.kind === kind).length;
  return {
    added: count('added'),
    removed: count('removed'),
    modified: count('modified'),
    addedBytes: changes.reduce((sum, c) => sum + (c.kind === 'added' ? (c.afterSizeBytes ?? 0) : 0), 0),
    removedBytes: changes.reduce((sum, c) => sum + (c.kind === 'removed' ? (c.beforeSizeBytes ?? 0) : 0), 0),
    changes,
    directories: directoryTotals(changes, depth),
  };
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

function directoryTotals(changes: FileChange[], depth: number): DirectoryTotal[] {
  const totals = new Map<string, DirectoryTotal>();
  for (const change of changes) {
    const dir = directoryAt(change.path, depth);
    let total = totals.get(dir);
    if (total === undefined) {
      total = { path: dir, deltaBytes: 0, added: 0, removed: 0, modified: 0 };
      totals.set(dir, total);
    }
    total.deltaBytes += (change.afterSizeBytes ?? 0) - (change.beforeSizeBytes ?? 0);
    total[change.kind] += 1;
  }
  return [...totals.values()].sort(
    (x, y) => Math.abs(y.deltaBytes) - Math.abs(x.deltaBytes) || (x.path < y.path ? -1 : 1),
  );
}
