import { afterAll, describe, expect, it } from 'vitest';
import type { Analysis, PackageRecord } from '../../../src/model/index.js';
import { analysisOf } from '../../helpers/generated-report.js';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import {
  rpmDatabaseEntry,
  rpmDatabaseOf,
  rpmEntries,
  rpmFileEntries,
  rpmHeader,
  type RpmSpec,
} from '../../helpers/rpm-database.js';

afterAll(cleanupTempDirs);

function summary(analysis: Analysis): Record<string, Partial<PackageRecord>> {
  return Object.fromEntries(
    analysis.packages.packages.map((record) => [
      `${record.name}.${record.architecture ?? ''}`,
      {
        version: record.version,
        sizeBytes: record.sizeBytes,
        sizeSource: record.sizeSource,
        fileCount: record.fileCount,
        layerIndex: record.layerIndex,
        changedInLayers: record.changedInLayers,
        purl: record.purl,
      },
    ]),
  );
}

const OS_RELEASE = {
  type: 'file',
  path: 'usr/lib/os-release',
  content: 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n',
} as const;

const BASH: RpmSpec = {
  name: 'bash',
  version: '5.2.26',
  release: '3.fc40',
  arch: 'x86_64',
  files: [
    ['/usr/bin/bash', 1_000],
    ['/usr/share/doc/bash/README', 50],
  ],
};
const GLIBC: RpmSpec = {
  name: 'glibc',
  version: '2.39',
  release: '22.fc40',
  arch: 'x86_64',
  license: 'LGPL-2.1-or-later',
  files: [['/usr/lib64/libc.so.6', 2_000]],
};
const GLIBC_I686: RpmSpec = { ...GLIBC, arch: 'i686', files: [['/usr/lib/libc.so.6', 1_500]] };
const KEY: RpmSpec = { name: 'gpg-pubkey', version: 'a15b79cc', release: '63d04c2c' };

describe('rpm inventory from rpmdb.sqlite', () => {
  it('lists each package with its bytes, installing layer, later changes and purl', async () => {
    const curl: RpmSpec = {
      name: 'curl',
      version: '8.6.0',
      release: '10.fc40',
      epoch: 1,
      arch: 'x86_64',
      files: [['/usr/bin/curl', 300]],
    };
    const bash2: RpmSpec = { ...BASH, release: '4.fc40', files: [['/usr/bin/bash', 1_200]] };
    const analysis = await analysisOf({
      layers: [
        { entries: [OS_RELEASE, ...(await rpmEntries([BASH, GLIBC, GLIBC_I686, KEY]))] },
        // dnf install curl && dnf upgrade bash
        {
          entries: [
            await rpmDatabaseEntry([bash2, GLIBC, GLIBC_I686, KEY, curl]),
            ...rpmFileEntries([bash2, curl]),
          ],
        },
      ],
    });
    expect(analysis.packages.warnings).toEqual([]);
    expect(summary(analysis)).toEqual({
      'bash.x86_64': {
        version: '5.2.26-4.fc40',
        // The README of the first release is still there: rpm lists only the new release's files.
        sizeBytes: 1_200,
        sizeSource: 'files',
        fileCount: 1,
        layerIndex: 0,
        changedInLayers: [1],
        purl: 'pkg:rpm/fedora/bash@5.2.26-4.fc40?arch=x86_64&distro=fedora-40',
      },
      'glibc.x86_64': {
        version: '2.39-22.fc40',
        sizeBytes: 2_000,
        sizeSource: 'files',
        fileCount: 1,
        layerIndex: 0,
        changedInLayers: [],
        purl: 'pkg:rpm/fedora/glibc@2.39-22.fc40?arch=x86_64&distro=fedora-40',
      },
      'glibc.i686': {
        version: '2.39-22.fc40',
        sizeBytes: 1_500,
        sizeSource: 'files',
        fileCount: 1,
        layerIndex: 0,
        changedInLayers: [],
        purl: 'pkg:rpm/fedora/glibc@2.39-22.fc40?arch=i686&distro=fedora-40',
      },
      'curl.x86_64': {
        version: '1:8.6.0-10.fc40',
        sizeBytes: 300,
        sizeSource: 'files',
        fileCount: 1,
        layerIndex: 1,
        changedInLayers: [],
        purl: 'pkg:rpm/fedora/curl@8.6.0-10.fc40?arch=x86_64&distro=fedora-40&epoch=1',
      },
      'gpg-pubkey.': {
        version: 'a15b79cc-63d04c2c',
        // No file list: the header's SIZE (0), marked as an estimate.
        sizeBytes: 0,
        sizeSource: 'installed-size',
        fileCount: 0,
        layerIndex: 0,
        changedInLayers: [],
        purl: 'pkg:rpm/fedora/gpg-pubkey@a15b79cc-63d04c2c?distro=fedora-40',
      },
    });
    expect(analysis.packages.ownedBytes).toBe(1_200 + 2_000 + 1_500 + 300);
    expect(
      analysis.packages.packages.every((record) => record.reason === null && record.ecosystem === 'rpm'),
    ).toBe(true);
  });

  it('reads the database at the older /var/lib/rpm path', async () => {
    const analysis = await analysisOf({
      layers: [{ entries: await rpmEntries([BASH], 'var/lib/rpm/rpmdb.sqlite') }],
    });
    expect(
      analysis.packages.packages.map((record) => [record.name, record.metadataPath, record.sizeBytes]),
    ).toEqual([['bash', '/var/lib/rpm/rpmdb.sqlite', 1_050]]);
  });

  it('lists the readable packages of a database with malformed headers, and warns once', async () => {
    const good = rpmHeader(BASH);
    const truncated = rpmHeader(GLIBC).subarray(0, 100);
    const lying = Buffer.from(rpmHeader(GLIBC));
    lying.writeInt32BE(0x7fff, 0);
    const database = await rpmDatabaseOf([truncated, good, lying, Buffer.from('not a header at all')]);
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            { type: 'file', path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: database },
            ...rpmFileEntries([BASH]),
          ],
        },
      ],
    });
    expect(analysis.packages.packages.map((record) => record.name)).toEqual(['bash']);
    expect(analysis.packages.warnings).toEqual([
      '/usr/lib/sysimage/rpm/rpmdb.sqlite: 3 package header(s) malformed and not listed (first: package 1: header declares 356 bytes but the blob has 100)',
    ]);
  });

  it('warns about a file at the database path that SQLite cannot read, and goes on', async () => {
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            {
              type: 'file',
              path: 'usr/lib/sysimage/rpm/rpmdb.sqlite',
              content: 'SQLite format 3\0 but not really',
            },
          ],
        },
      ],
    });
    expect(analysis.packages.packages).toEqual([]);
    expect(analysis.packages.warnings).toEqual([
      '/usr/lib/sysimage/rpm/rpmdb.sqlite: not a readable rpm database (file is not a database); its packages are not listed',
    ]);
  });

  it('a database emptied by a later layer lists nothing, without a warning', async () => {
    const analysis = await analysisOf({
      layers: [
        { entries: await rpmEntries([BASH]) },
        { entries: [{ type: 'file', path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: '' }] },
      ],
    });
    expect([analysis.packages.packages, analysis.packages.warnings]).toEqual([[], []]);
  });
});
