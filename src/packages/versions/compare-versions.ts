// The three functions used, not semver's index (about 50 modules loaded at every start-up).
import semverCompare from 'semver/functions/compare.js';
import semverDiff from 'semver/functions/diff.js';
import semverValid from 'semver/functions/valid.js';
import type { PackageEcosystem } from '../../model/index.js';
import { compareApkVersions } from './apk-version.js';
import { compareDpkgVersions } from './dpkg-version.js';
import { comparePep440Versions } from './pep440-version.js';
import { compareRpmVersions } from './rpm-version.js';

/** Orders two versions of a package by its ecosystem's rules: negative, 0 or positive. */
export function compareVersions(ecosystem: PackageEcosystem, a: string, b: string): number {
  switch (ecosystem) {
    case 'deb':
      return compareDpkgVersions(a, b);
    case 'apk':
      return compareApkVersions(a, b);
    case 'rpm':
      return compareRpmVersions(a, b);
    case 'python':
      return comparePep440Versions(a, b);
    case 'npm': {
      const x = semverValid(a, { loose: true });
      const y = semverValid(b, { loose: true });
      if (x !== null && y !== null) return semverCompare(x, y, { loose: true });
      return a < b ? -1 : a > b ? 1 : 0;
    }
  }
}

/** For semver ecosystems (npm): which part changed, `major`, `minor`, `patch` (or a pre-release kind); null elsewhere. */
export function semverChange(ecosystem: PackageEcosystem, a: string, b: string): string | null {
  if (ecosystem !== 'npm') return null;
  const x = semverValid(a, { loose: true });
  const y = semverValid(b, { loose: true });
  return x === null || y === null ? null : semverDiff(x, y);
}
