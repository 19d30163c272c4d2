import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PackageEcosystem } from '../../../src/model/index.js';
import { compareVersions, semverChange } from '../../../src/packages/index.js';
import { PROJECT_ROOT } from '../../helpers/run-cli.js';

type Op = '<' | '=' | '>';

/** `a op b` lines of a vector file; `#` comments and blank lines skipped. */
function vectors(file: string): [string, Op, string][] {
  return readFileSync(`${PROJECT_ROOT}test/fixtures/versions/${file}`, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [a = '', op = '', b = ''] = line.split(/\s+/);
      return [a, op as Op, b];
    });
}

const sign = (n: number): Op => (n < 0 ? '<' : n > 0 ? '>' : '=');
const flip: Record<Op, Op> = { '<': '>', '=': '=', '>': '<' };

function mismatches(ecosystem: PackageEcosystem, cases: [string, Op, string][]): string[] {
  const wrong: string[] = [];
  for (const [a, op, b] of cases) {
    const forward = sign(compareVersions(ecosystem, a, b));
    const backward = sign(compareVersions(ecosystem, b, a));
    if (forward !== op || backward !== flip[op])
      wrong.push(`${a} ${op} ${b} (got ${forward}, reversed ${backward})`);
  }
  return wrong;
}

describe('version comparison by each ecosystem’s own published vectors', () => {
  it('apk: apk-tools test/version.data', () => {
    const cases = vectors('apk.txt');
    expect(cases.length).toBe(729);
    expect(mismatches('apk', cases)).toEqual([]);
  });

  it('rpm: rpmvercmp.at', () => {
    const cases = vectors('rpm.txt');
    expect(cases.length).toBe(69);
    expect(mismatches('rpm', cases)).toEqual([]);
    // Epoch and release around rpmvercmp.
    expect(
      mismatches('rpm', [
        ['1:1.0-1', '>', '2.0-1'],
        ['2.0-1.fc39', '<', '2.0-2.fc39'],
        ['1.0^git1', '>', '1.0'],
        ['1.0^git1', '<', '1.0.1'],
      ]),
    ).toEqual([]);
  });

  it('PEP 440: pypa/packaging test_version.py, in order', () => {
    const list = readFileSync(`${PROJECT_ROOT}test/fixtures/versions/pep440.txt`, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(list.length).toBe(92);
    const wrong: string[] = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        const a = list[i] ?? '';
        const b = list[j] ?? '';
        // packaging's list holds 1.0c1 next to 1.0rc1.dev1 and 1.0rc2: c is rc.
        const expected = sign(i - j);
        const got = sign(compareVersions('python', a, b));
        if (got !== expected) wrong.push(`${a} vs ${b}: expected ${expected}, got ${got}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(compareVersions('python', '1.0rc1', '1.0c1')).toBe(0);
    expect(compareVersions('python', 'v1.0', '1.0.0')).toBe(0);
  });

  it('dpkg: t-version.c and deb-version(7) cases, each also checked with dpkg --compare-versions where installed', () => {
    const cases = vectors('dpkg.txt');
    expect(mismatches('deb', cases)).toEqual([]);
    if (spawnSync('sh', ['-c', 'command -v dpkg'], { stdio: 'ignore' }).status !== 0) return;
    const names: Record<Op, string> = { '<': 'lt', '=': 'eq', '>': 'gt' };
    const disagree = cases.filter(
      ([a, op, b]) =>
        spawnSync('dpkg', ['--compare-versions', a, names[op], b], { stdio: 'ignore' }).status !== 0,
    );
    expect(disagree).toEqual([]);
  });

  it('npm: semver, with the kind of change named', () => {
    expect(
      mismatches('npm', [
        ['1.2.3', '<', '1.10.0'],
        ['1.0.0-rc.1', '<', '1.0.0'],
        ['v2.0.0', '=', '2.0.0'],
        ['1.0.0-alpha.10', '>', '1.0.0-alpha.9'],
      ]),
    ).toEqual([]);
    expect(semverChange('npm', '4.17.21', '5.0.0')).toBe('major');
    expect(semverChange('npm', '4.17.21', '4.18.0')).toBe('minor');
    expect(semverChange('npm', '4.17.20', '4.17.21')).toBe('patch');
    expect(semverChange('npm', '1.0.0-rc.1', '1.0.0')).toBe('major');
    expect(semverChange('npm', 'latest', '1.0.0')).toBeNull();
    expect(semverChange('deb', '1.0', '2.0')).toBeNull();
  });
});
