import { compareNumbers } from './dpkg-version.js';

/** PEP 440's version pattern (packaging's VERSION_PATTERN), case-insensitive. */
const PATTERN =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

interface Pep440 {
  epoch: string;
  release: string[];
  /** [phase (a < b < rc), number], or null. */
  pre: [number, string] | null;
  post: string | null;
  dev: string | null;
  local: string[] | null;
}

function parse(version: string): Pep440 | null {
  const match = PATTERN.exec(version);
  if (match === null) return null;
  const phase = match[3]?.toLowerCase();
  const release = (match[2] ?? '0').split('.');
  while (release.length > 1 && /^0+$/.test(release.at(-1) ?? '')) release.pop();
  return {
    epoch: match[1] ?? '0',
    release,
    pre:
      phase === undefined
        ? null
        : [
            phase === 'a' || phase === 'alpha' ? 0 : phase === 'b' || phase === 'beta' ? 1 : 2,
            match[4] ?? '0',
          ],
    post: match[5] ?? (match[6] === undefined ? null : (match[7] ?? '0')),
    dev: match[8] === undefined ? null : (match[9] ?? '0'),
    local: match[10] === undefined ? null : match[10].toLowerCase().split(/[-_.]/),
  };
}

/** PEP 440 order (as pypa/packaging sorts); versions that are not PEP 440 sort as text, before valid ones. */
export function comparePep440Versions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (x === null || y === null) {
    if (x !== y) return x === null ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return (
    compareNumbers(x.epoch, y.epoch) ||
    compareRelease(x.release, y.release) ||
    compareRank(preRank(x), preRank(y)) ||
    compareOptional(x.post, y.post) ||
    compareDev(x.dev, y.dev) ||
    compareLocal(x.local, y.local)
  );
}

function compareRelease(a: string[], b: string[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const order = compareNumbers(a[index] ?? '0', b[index] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Where the pre-release part puts a version: a dev release with no pre or post release comes
 * before every pre-release of its release; no pre-release comes after them all.
 */
function preRank(v: Pep440): [number, string] {
  if (v.pre === null && v.post === null && v.dev !== null) return [-1, '0'];
  return v.pre ?? [3, '0'];
}

function compareRank(a: [number, string], b: [number, string]): number {
  return Math.sign(a[0] - b[0]) || compareNumbers(a[1], b[1]);
}

/** No post release < any post release. */
function compareOptional(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compareNumbers(a, b);
}

/** A dev release comes before the same version without one. */
function compareDev(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareNumbers(a, b);
}

/** No local part < any; numeric segments after alphanumeric ones, then by value; more segments win. */
function compareLocal(a: string[] | null, b: string[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const x = a[index];
    const y = b[index];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const xNumber = /^\d+$/.test(x);
    const yNumber = /^\d+$/.test(y);
    if (xNumber !== yNumber) return xNumber ? 1 : -1;
    const order = xNumber ? compareNumbers(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return 0;
}
