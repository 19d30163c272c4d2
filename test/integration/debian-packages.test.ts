// The dpkg inventory of a real Debian image: debootstrap's minimal bookworm as the base layer,
// `apt-get install curl git` as the second. The truth is computed at test time from the same
// root filesystems (dpkg-query, stat), never pasted: the mirror moves.
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis, PackageRecord } from '../../src/model/index.js';
import { findProblems } from '../../src/findings/index.js';
import { analyzeImage } from '../../src/services/index.js';
import { debianTrees, debianTestsSkipReason, type DebianTrees } from '../helpers/debian-rootfs.js';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../helpers/image-builder.js';
import { layerFromTree, snapshotTree } from '../helpers/rootfs-layers.js';
import { runCli } from '../helpers/run-cli.js';

const PACKAGES = ['curl', 'git'];
const skip = debianTestsSkipReason();

interface Installed {
  name: string;
  version: string;
  architecture: string;
}

/** What dpkg itself says is installed in the tree. */
function dpkgInstalled(root: string): Installed[] {
  const out = execFileSync(
    'dpkg-query',
    [
      `--admindir=${root}/var/lib/dpkg`,
      '-W',
      '-f',
      '${db:Status-Status}\\t${Package}\\t${Version}\\t${Architecture}\\n',
    ],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields[0] === 'installed')
    .map(([, name = '', version = '', architecture = '']) => ({ name, version, architecture }));
}

/**
 * The bytes of the regular files a package owns in the tree, per `dpkg-query -L`, each inode
 * once; listed paths are looked up through symlinked parent directories (merged /usr).
 */
function ownedBytes(root: string, name: string): number {
  const list = execFileSync('dpkg-query', [`--admindir=${root}/var/lib/dpkg`, '-L', name], {
    encoding: 'utf8',
  });
  const inodes = new Set<number>();
  let bytes = 0;
  for (const path of list.split('\n')) {
    if (!path.startsWith('/') || path === '/.') continue;
    let real: string;
    try {
      real = join(realpathSync(join(root, dirname(path))), basename(path));
    } catch {
      continue;
    }
    if (!real.startsWith(root)) continue;
    let stat;
    try {
      stat = lstatSync(real);
    } catch {
      continue;
    }
    if (!stat.isFile() || inodes.has(stat.ino)) continue;
    inodes.add(stat.ino);
    bytes += stat.size;
  }
  return bytes;
}

/** Bytes of the regular files under /usr, /etc and /var/lib of a tree, each inode once. */
function contentBytes(root: string): number {
  const inodes = new Set<number>();
  let bytes = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const stat = lstatSync(path);
        if (inodes.has(stat.ino)) continue;
        inodes.add(stat.ino);
        bytes += stat.size;
      }
    }
  };
  for (const top of ['usr', 'etc', 'var/lib']) walk(join(root, top));
  return bytes;
}

describe.skipIf(skip !== null)(
  `dpkg inventory of a debootstrapped Debian ${PACKAGES.join(' + ')} image`,
  () => {
    let trees: DebianTrees;
    let withRecommends: Analysis;
    let withoutRecommends: Analysis;
    let withRecommendsImage: string;

    beforeAll(async () => {
      trees = await debianTrees(PACKAGES);
      const dir = await tempDir('imgscope-debian-');
      const base = await snapshotTree(trees.base);
      const build = async (tree: string, recommends: boolean): Promise<string> => {
        const file = join(dir, recommends ? 'with-recommends.tar' : 'without-recommends.tar');
        await writeDockerArchive(
          {
            layers: [
              {
                entries: layerFromTree(trees.base, base, null),
                createdBy: '/bin/sh -c #(nop) ADD file:rootfs.tar in / ',
              },
              {
                entries: layerFromTree(tree, await snapshotTree(tree), base),
                createdBy: trees.installCommand(recommends),
              },
            ],
          },
          file,
        );
        return file;
      };
      withRecommendsImage = await build(trees.withRecommends, true);
      withRecommends = await analyzeImage(withRecommendsImage);
      withoutRecommends = await analyzeImage(await build(trees.withoutRecommends, false));
    }, 1_200_000);

    afterAll(cleanupTempDirs);

    const byName = (analysis: Analysis): Map<string, PackageRecord> =>
      new Map(analysis.packages.packages.map((record) => [record.name, record]));

    it('lists exactly the packages dpkg-query lists, with their versions and architectures', () => {
      for (const [analysis, tree] of [
        [withRecommends, trees.withRecommends],
        [withoutRecommends, trees.withoutRecommends],
      ] as const) {
        const expected = dpkgInstalled(tree)
          .map((entry) => `${entry.name} ${entry.version} ${entry.architecture}`)
          .sort();
        const found = analysis.packages.packages
          .map((record) => `${record.name} ${record.version} ${record.architecture ?? ''}`)
          .sort();
        expect(found.length).toBeGreaterThan(100);
        expect(found).toEqual(expected);
        expect(analysis.packages.warnings).toEqual([]);
      }
    });

    it('weighs each package as the sum of the files it owns in the final filesystem (within 1 %)', () => {
      const records = byName(withRecommends);
      const off: string[] = [];
      for (const entry of dpkgInstalled(trees.withRecommends)) {
        const record = records.get(entry.name);
        const truth = ownedBytes(trees.withRecommends, entry.name);
        expect(record?.sizeSource).toBe('files');
        const size = record?.sizeBytes ?? -1;
        if (Math.abs(size - truth) > truth * 0.01) off.push(`${entry.name}: ${size} vs ${truth}`);
      }
      expect(off).toEqual([]);
      expect(records.get('git')?.sizeBytes).toBeGreaterThan(1_000_000);
    });

    it('names the layer that installed each package', () => {
      const inBase = new Set(dpkgInstalled(trees.base).map((entry) => entry.name));
      for (const record of withRecommends.packages.packages) {
        expect([record.name, record.layerIndex]).toEqual([record.name, inBase.has(record.name) ? 0 : 1]);
      }
    });

    it('tells requested packages, dependencies and recommends-only packages apart', () => {
      const without = new Set(dpkgInstalled(trees.withoutRecommends).map((entry) => entry.name));
      const recommendsOnly = withRecommends.packages.packages
        .filter((record) => record.reason === 'recommends')
        .map((record) => record.name)
        .sort();
      // What --no-install-recommends leaves out is exactly what is there only through Recommends.
      const leftOut = dpkgInstalled(trees.withRecommends)
        .map((entry) => entry.name)
        .filter((name) => !without.has(name))
        .sort();
      expect(recommendsOnly.length).toBeGreaterThan(2);
      expect(recommendsOnly).toEqual(leftOut);
      const records = byName(withRecommends);
      for (const name of PACKAGES) expect(records.get(name)?.reason).toBe('requested');
      expect(withoutRecommends.packages.packages.filter((record) => record.reason === 'recommends')).toEqual(
        [],
      );
    });

    it('apt-install-recommends saves what --no-install-recommends saves (within 5 % of the difference of the trees)', () => {
      const finding = findProblems(withRecommends).findings.find((f) => f.id === 'apt-install-recommends');
      const measured = contentBytes(trees.withRecommends) - contentBytes(trees.withoutRecommends);
      const saved = finding?.wastedBytes ?? 0;
      expect(measured).toBeGreaterThan(1_000_000);
      expect(Math.abs(saved - measured) / measured).toBeLessThan(0.05);
      // Named in the message (the largest) and all listed in the fix, largest first.
      const recommended = withRecommends.packages.packages.filter((record) => record.reason === 'recommends');
      const largest = recommended[0];
      expect(finding?.message).toContain(`the largest is ${largest?.name ?? '?'} (`);
      const listed = /Installed only as recommended: (.*)\.$/.exec(finding?.advice.text ?? '')?.[1] ?? '';
      expect(listed.split(', ').map((item) => item.replace(/ \(.*$/, ''))).toEqual(
        recommended.map((record) => record.name),
      );
      expect(finding?.advice.dockerfile?.after).toContain('--no-install-recommends');
      expect(findProblems(withoutRecommends).findings.map((f) => f.id)).not.toContain(
        'apt-install-recommends',
      );
    });

    it('imgscope packages lists them as JSON and CSV', async () => {
      const json = await runCli(['packages', withRecommendsImage, '--json']);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout) as { packages: PackageRecord[]; ownedBytes: number };
      expect(report.packages.map((record) => record.name)).toEqual(
        withRecommends.packages.packages.map((record) => record.name),
      );
      expect(report.ownedBytes).toBe(withRecommends.packages.ownedBytes);
      const csv = await runCli(['packages', withRecommendsImage, '--format', 'csv', '--ecosystem', 'deb']);
      expect(csv.stdout.split('\r\n').length).toBe(withRecommends.packages.packages.length + 2);
    });
  },
);
