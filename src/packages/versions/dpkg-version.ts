import { splitEpochVersion } from './epoch-version.js';

/**
 * dpkg's version order (deb-version(7)): `[epoch:]upstream[-revision]`, epochs numerically, then
 * upstream and revision by alternating non-digit parts (letters before other characters, `~`
 * before everything, even the end) and digit parts (numerically).
 */
export function compareDpkgVersions(a: string, b: string): number {
  const left = splitEpochVersion(a.trim());
  const right = splitEpochVersion(b.trim());
  return (
    compareNumbers(left.epoch, right.epoch) ||
    compareParts(left.version, right.version) ||
    compareParts(left.release, right.release)
  );
}

/** A character's weight in the non-digit parts: `~` lowest, then the end, letters, the rest. */
function weight(char: string | undefined): number {
  if (char === undefined || isDigit(char)) return 0;
  if (char === '~') return -1;
  const code = char.charCodeAt(0);
  return /[A-Za-z]/.test(char) ? code : code + 256;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function compareParts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const difference = weight(a[i]) - weight(b[j]);
      if (difference !== 0) return Math.sign(difference);
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (isDigit(a[i])) i++;
    while (isDigit(b[j])) j++;
    const byNumber = compareNumbers(a.slice(startA, i), b.slice(startB, j));
    if (byNumber !== 0) return byNumber;
  }
  return 0;
}

/** Digit strings of any length by value (no overflow); empty is 0. */
export function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return Math.sign(x.length - y.length);
  return x < y ? -1 : x > y ? 1 : 0;
}
