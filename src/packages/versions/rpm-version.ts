import { compareNumbers } from './dpkg-version.js';
import { splitEpochVersion } from './epoch-version.js';

/**
 * rpm's order for `[epoch:]version[-release]`: epochs numerically, then version and release with
 * rpmvercmp: alphanumeric segments (separators only separate), digits numerically and newer
 * than letters, `~` older than anything (even the end), `^` newer than the end but older than
 * anything else.
 */
export function compareRpmVersions(a: string, b: string): number {
  const left = splitEpochVersion(a.trim());
  const right = splitEpochVersion(b.trim());
  return (
    compareNumbers(left.epoch, right.epoch) ||
    rpmvercmp(left.version, right.version) ||
    rpmvercmp(left.release, right.release)
  );
}

const ALNUM = /[A-Za-z0-9]/;

export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !ALNUM.test(a[i] ?? '') && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !ALNUM.test(b[j] ?? '') && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = /[0-9]/.test(a[i] ?? '');
    const segment = numeric ? /[0-9]/ : /[A-Za-z]/;
    const startA = i;
    const startB = j;
    while (i < a.length && segment.test(a[i] ?? '')) i++;
    while (j < b.length && segment.test(b[j] ?? '')) j++;
    const x = a.slice(startA, i);
    const y = b.slice(startB, j);
    // Segments of different kinds: the numeric one is newer.
    if (y === '') return numeric ? 1 : -1;
    const order = numeric ? compareNumbers(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}
