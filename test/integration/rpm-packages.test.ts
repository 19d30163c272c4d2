// The rpm inventory against rpm itself: packages built with rpmbuild and installed with rpm into
// a tree (first layer: initdb and two packages; second: an upgrade and a new package), made into
// an image. The truth is what `rpm -qa` and `rpm -ql` say of that tree at test time.
import { lstatSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/model/index.js';
import { analyzeImage } from '../../src/services/index.js';
import { hostLacks } from '../helpers/host-features.js';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../helpers/image-builder.js';
import { buildRpm, rpmIn, rpmToolsBlocker, type SpecFile } from '../helpers/rpm-root.js';
import { layerFromTree, snapshotTree } from '../helpers/rootfs-layers.js';

const blocker = rpmToolsBlocker();
const skip = hostLacks(`rpm tools: ${blocker}`, blocker === null);

const HELLO: SpecFile = {
  name: 'hello',
  version: '1.0',
  release: '1',
  epoch: 2,
  files: [
    ['/usr/bin/hello', 40],
    ['/usr/share/hello/data', 5_000],
  ],
};
const WORLD: SpecFile = {
  name: 'world',
  version: '3.1',
  release: '4.fc40',
  requires: ['hello'],
  files: [
    ['/usr/share/world/big', 20_000],
    ['/usr/share/doc/world/README', 700],
  ],
};
const HELLO_UPGRADE: SpecFile = { ...HELLO, version: '1.1', files: [['/usr/share/hello/data', 7_000]] };
const EXTRA: SpecFile = { name: 'extra', version: '0.1', release: '1', files: [['/opt/extra/blob', 12_345]] };

/** What rpm says is installed: `name [epoch:]version-release arch` per package. */
function rpmInstalled(root: string): string[] {
  return rpmIn(root, ['-qa', '--qf', '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH}\\n'])
    .split('\n')
    .filter((line) => line !== '')
    .sort();
}

/** The bytes of the regular files rpm lists for `name` in the tree. */
function rpmOwnedBytes(root: string, name: string): number {
  let bytes = 0;
  for (const path of rpmIn(root, ['-ql', name]).split('\n')) {
    if (!path.startsWith('/')) continue;
    const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
    if (stat?.isFile() === true) bytes += stat.size;
  }
  return bytes;
}

describe.skipIf(skip)('rpm inventory of a tree rpm itself installed into (SQLite database)', () => {
  let root: string;
  let analysis: Analysis;

  beforeAll(async () => {
    const work = await tempDir('imgscope-rpm-root-');
    const top = join(work, 'rpmbuild');
    const [hello, world, upgrade, extra] = await Promise.all(
      [HELLO, WORLD, HELLO_UPGRADE, EXTRA].map((spec) => buildRpm(top, spec)),
    );
    const before = join(work, 'layer0');
    root = join(work, 'layer1');
    rpmIn(before, ['--initdb']);
    rpmIn(before, ['-i', '--nodeps', '--noscripts', hello ?? '', world ?? '']);
    await cp(before, root, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    rpmIn(root, ['-U', '--nodeps', '--noscripts', upgrade ?? '', extra ?? '']);
    const base = await snapshotTree(before);
    const image = join(work, 'rpm.tar');
    await writeDockerArchive(
      {
        layers: [
          { entries: layerFromTree(before, base, null), createdBy: 'rpm -i hello world' },
          {
            entries: layerFromTree(root, await snapshotTree(root), base),
            createdBy: 'rpm -U hello extra',
          },
        ],
      },
      image,
    );
    analysis = await analyzeImage(image);
  }, 120_000);

  afterAll(cleanupTempDirs);

  it('lists exactly what rpm -qa lists, with epochs, versions and architectures', () => {
    const found = analysis.packages.packages
      .map((record) => `${record.name} ${record.version} ${record.architecture ?? ''}`)
      .sort();
    expect(found).toEqual(rpmInstalled(root));
    expect(found).toEqual(['extra 0.1-1 noarch', 'hello 2:1.1-1 noarch', 'world 3.1-4.fc40 noarch']);
    expect(analysis.packages.warnings).toEqual([]);
  });

  it('weighs each package as the files rpm -ql lists, and names the installing layer', () => {
    expect(
      analysis.packages.packages.map((record) => [
        record.name,
        record.sizeBytes,
        rpmOwnedBytes(root, record.name),
        record.layerIndex,
        record.changedInLayers,
      ]),
    ).toEqual([
      ['world', 20_700, 20_700, 0, []],
      ['extra', 12_345, 12_345, 1, []],
      ['hello', 7_000, 7_000, 0, [1]],
    ]);
    expect(analysis.packages.packages.map((record) => record.purl)).toEqual([
      'pkg:rpm/redhat/world@3.1-4.fc40?arch=noarch',
      'pkg:rpm/redhat/extra@0.1-1?arch=noarch',
      'pkg:rpm/redhat/hello@1.1-1?arch=noarch&epoch=2',
    ]);
  });
});
