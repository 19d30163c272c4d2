import { compareNumbers } from './dpkg-version.js';

/** Suffixes in apk's order: the first four mark pre-releases (older than no suffix), the rest later builds. */
const PRE = ['alpha', 'beta', 'pre', 'rc'];
const POST = ['cvs', 'svn', 'git', 'hg', 'p'];

interface ApkVersion {
  /** Dot-separated numbers as written (leading zeros matter). */
  numbers: string[];
  letter: string;
  /** Suffix ranks (pre-releases negative, post-releases positive) and their numbers. */
  suffixes: [number, string][];
  revision: string;
  /** Whether the whole string followed the grammar; otherwise the parsed prefix is compared, then the text. */
  valid: boolean;
}

/** `1.2.3a_rc1_p2-r4`: numbers, one optional letter, suffixes, `-r` revision (apk's grammar). */
function parse(version: string): ApkVersion {
  const match = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:-r(\d+))?/.exec(
    version,
  );
  if (match === null) return { numbers: [], letter: '', suffixes: [], revision: '', valid: false };
  const suffixes = [...(match[3] ?? '').matchAll(/_([a-z]+)(\d*)/g)].map(
    ([, name = '', number = '']): [number, string] => {
      const pre = PRE.indexOf(name);
      return [pre >= 0 ? pre - PRE.length : POST.indexOf(name) + 1, number];
    },
  );
  return {
    numbers: (match[1] ?? '').split('.'),
    letter: match[2] ?? '',
    suffixes,
    revision: match[4] ?? '',
    valid: match[0].length === version.length,
  };
}

/** apk's version order (apk-tools version.c, as Alpine's `apk version -t` answers). */
export function compareApkVersions(a: string, b: string): number {
  const left = parse(a.trim());
  const right = parse(b.trim());
  const order = compareParsed(left, right);
  if (order !== 0 || (left.valid && right.valid)) return order;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareParsed(a: ApkVersion, b: ApkVersion): number {
  const count = Math.min(a.numbers.length, b.numbers.length);
  for (let index = 0; index < count; index++) {
    const x = a.numbers[index] ?? '';
    const y = b.numbers[index] ?? '';
    // After the first number, a leading zero makes the part a decimal fraction (1.02 < 1.1).
    const fraction = index > 0 && (x.startsWith('0') || y.startsWith('0'));
    const order = fraction ? compareText(x.replace(/0+$/, ''), y.replace(/0+$/, '')) : compareNumbers(x, y);
    if (order !== 0) return order;
  }
  if (a.numbers.length !== b.numbers.length) return a.numbers.length > b.numbers.length ? 1 : -1;
  const letters = compareText(a.letter, b.letter);
  if (letters !== 0) return letters;
  const suffixes = Math.max(a.suffixes.length, b.suffixes.length);
  for (let index = 0; index < suffixes; index++) {
    const [rankA = 0, numberA = ''] = a.suffixes[index] ?? [];
    const [rankB = 0, numberB = ''] = b.suffixes[index] ?? [];
    if (rankA !== rankB) return Math.sign(rankA - rankB);
    const order = compareNumbers(numberA, numberB);
    if (order !== 0) return order;
  }
  return compareNumbers(a.revision, b.revision);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
