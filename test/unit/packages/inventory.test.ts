import { afterAll, describe, expect, it } from 'vitest';
import type { Analysis, PackageRecord } from '../../../src/model/index.js';
import { analysisOf } from '../../helpers/generated-report.js';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import {
  apkInstalled,
  dpkgEntries,
  dpkgStatus,
  extendedStates,
  pythonMetadata,
  pythonRecord,
} from '../../helpers/package-metadata.js';

afterAll(cleanupTempDirs);

/** The fields a test checks, by name. */
function summary(analysis: Analysis): Record<string, Partial<PackageRecord>> {
  return Object.fromEntries(
    analysis.packages.packages.map((record) => [
      `${record.ecosystem}:${record.name}`,
      {
        version: record.version,
        sizeBytes: record.sizeBytes,
        sizeSource: record.sizeSource,
        fileCount: record.fileCount,
        layerIndex: record.layerIndex,
        changedInLayers: record.changedInLayers,
        reason: record.reason,
      },
    ]),
  );
}

const OS_RELEASE = {
  type: 'file',
  path: 'etc/os-release',
  content: 'PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\nVERSION_ID="12"\n',
} as const;

describe('dpkg inventory', () => {
  it('weighs each package by its file list, follows merged-/usr symlinks, counts hard links once', async () => {
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            OS_RELEASE,
            { type: 'symlink', path: 'bin', target: 'usr/bin' },
            { type: 'dir', path: 'usr/bin' },
            ...dpkgEntries([
              // Lists /bin/bash; the file is stored at /usr/bin/bash behind the /bin symlink.
              {
                name: 'bash',
                version: '5.2.15-2+b2',
                files: [
                  ['/bin/bash', 1000],
                  ['/usr/share/doc/bash/README', 50],
                ],
              },
              {
                name: 'libc6',
                version: '2.36-9',
                multiArchSame: true,
                files: [['/usr/lib/x86_64-linux-gnu/libc.so.6', 2000]],
              },
              // No file list in the image: Installed-Size (KiB), marked as an estimate.
              { name: 'tzdata', version: '2024a-0+deb12u1', installedSizeKiB: 3, arch: 'all' },
              {
                name: 'removed',
                version: '1.0',
                status: 'deinstall ok config-files',
                files: [['/etc/removed.conf', 10]],
              },
            ]),
            { type: 'hardlink', path: 'usr/bin/rbash', target: 'usr/bin/bash' },
          ],
        },
      ],
    });
    expect(summary(analysis)).toEqual({
      'deb:libc6': {
        version: '2.36-9',
        sizeBytes: 2000,
        sizeSource: 'files',
        fileCount: 1,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
      'deb:bash': {
        version: '5.2.15-2+b2',
        sizeBytes: 1050,
        sizeSource: 'files',
        fileCount: 2,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
      'deb:tzdata': {
        version: '2024a-0+deb12u1',
        sizeBytes: 3072,
        sizeSource: 'installed-size',
        fileCount: 0,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
    });
    expect(analysis.packages.packages.map((record) => record.purl)).toEqual([
      'pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12',
      'pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12',
      'pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12',
    ]);
    expect(analysis.packages.ownedBytes).toBe(3050);
    expect(analysis.packages.warnings).toEqual([]);
  });

  it('names the installing layer, the layers that changed a package, and why apt installed it', async () => {
    const base = [
      { name: 'libc6', version: '2.36-9', files: [['/usr/lib/libc.so.6', 2000]] as [string, number][] },
      {
        name: 'dash',
        version: '0.5.12-2',
        depends: 'libc6 (>= 2.34)',
        files: [['/usr/bin/dash', 100]] as [string, number][],
      },
    ];
    const installed = [
      ...base,
      // curl depends on libcurl4, which recommends ca-certificates; curl also recommends
      // krb5-locales through a virtual name. libcurl4 and curl depend on each other (a cycle).
      {
        name: 'curl',
        version: '7.88.1-10',
        depends: 'libcurl4 (= 7.88.1-10), libc6',
        recommends: 'locales-virtual',
        files: [['/usr/bin/curl', 300]] as [string, number][],
      },
      {
        name: 'libcurl4',
        version: '7.88.1-10',
        depends: 'libc6, curl',
        recommends: 'ca-certificates',
        files: [['/usr/lib/libcurl.so.4', 700]] as [string, number][],
      },
      {
        name: 'ca-certificates',
        version: '20230311',
        depends: 'openssl | libssl3',
        files: [['/usr/share/ca-certificates/a.crt', 40]] as [string, number][],
      },
      { name: 'openssl', version: '3.0.11-1', files: [['/usr/bin/openssl', 900]] as [string, number][] },
      {
        name: 'krb5-locales',
        version: '1.20.1-2',
        provides: 'locales-virtual',
        files: [['/usr/share/locale/de/krb5.mo', 60]] as [string, number][],
      },
    ];
    const upgraded = installed.map((deb) =>
      deb.name === 'libc6' ? { ...deb, version: '2.36-9+deb12u4' } : deb,
    );
    const analysis = await analysisOf({
      layers: [
        { entries: dpkgEntries(base) },
        {
          createdBy: '/bin/sh -c apt-get update && apt-get install -y curl',
          entries: [
            ...dpkgEntries(installed.filter((deb) => !base.includes(deb))),
            { type: 'file', path: 'var/lib/dpkg/status', content: dpkgStatus(installed) },
            {
              type: 'file',
              path: 'var/lib/apt/extended_states',
              content: extendedStates(['libcurl4', 'ca-certificates', 'openssl', 'krb5-locales']),
            },
          ],
        },
        // A later upgrade of libc6 rewrites its library and the status.
        {
          entries: dpkgEntries(upgraded).filter(
            (entry) =>
              entry.type !== 'file' ||
              entry.path === 'var/lib/dpkg/status' ||
              entry.path.includes('libc.so') ||
              entry.path.endsWith('/libc6.list'),
          ),
        },
        // A layer that only touches one of curl's files.
        { entries: [{ type: 'file', path: 'usr/bin/curl', size: 310 }] },
      ],
    });
    const found = summary(analysis);
    expect(found['deb:libc6']).toEqual({
      version: '2.36-9+deb12u4',
      sizeBytes: 2000,
      sizeSource: 'files',
      fileCount: 1,
      layerIndex: 0,
      changedInLayers: [2],
      reason: 'requested',
    });
    expect(found['deb:curl']).toMatchObject({
      sizeBytes: 310,
      layerIndex: 1,
      changedInLayers: [3],
      reason: 'requested',
    });
    expect(found['deb:libcurl4']).toMatchObject({ layerIndex: 1, changedInLayers: [], reason: 'dependency' });
    expect(found['deb:ca-certificates']).toMatchObject({ layerIndex: 1, reason: 'recommends' });
    expect(found['deb:openssl']).toMatchObject({ layerIndex: 1, reason: 'recommends' });
    expect(found['deb:krb5-locales']).toMatchObject({ layerIndex: 1, reason: 'recommends' });
    expect(found['deb:dash']).toMatchObject({ layerIndex: 0, reason: 'requested' });
  });

  it('reads distroless status.d files, one package each, sized by Installed-Size', async () => {
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            {
              type: 'file',
              path: 'var/lib/dpkg/status.d/base-files',
              content: dpkgStatus([{ name: 'base-files', version: '12.4+deb12u5', installedSizeKiB: 341 }]),
            },
            {
              type: 'file',
              path: 'var/lib/dpkg/status.d/base-files.md5sums',
              content: '0123  etc/debian_version\n',
            },
            {
              type: 'file',
              path: 'var/lib/dpkg/status.d/netbase',
              content: dpkgStatus([{ name: 'netbase', version: '6.4', installedSizeKiB: 41, arch: 'all' }]),
            },
          ],
        },
      ],
    });
    expect(summary(analysis)).toEqual({
      'deb:base-files': {
        version: '12.4+deb12u5',
        sizeBytes: 341 * 1024,
        sizeSource: 'installed-size',
        fileCount: 0,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
      'deb:netbase': {
        version: '6.4',
        sizeBytes: 41 * 1024,
        sizeSource: 'installed-size',
        fileCount: 0,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
    });
    expect(analysis.packages.packages[0]?.metadataPath).toBe('/var/lib/dpkg/status.d/base-files');
  });

  it('forgets a status file a later layer deleted', async () => {
    const analysis = await analysisOf({
      layers: [
        { entries: dpkgEntries([{ name: 'dash', version: '0.5.12-2', files: [['/usr/bin/dash', 100]] }]) },
        { entries: [{ type: 'whiteout', path: 'var/lib/dpkg' }] },
      ],
    });
    expect(analysis.packages.packages).toEqual([]);
  });
});

describe('apk inventory', () => {
  it('reads the installed database in one pass, with /etc/apk/world for what was asked for', async () => {
    const packages = [
      {
        name: 'musl',
        version: '1.2.4-r2',
        files: [
          ['/lib/ld-musl-x86_64.so.1', 600],
          ['/lib/libc.musl-x86_64.so.1', 0],
        ] as [string, number][],
      },
      {
        name: 'busybox',
        version: '1.36.1-r5',
        license: 'GPL-2.0-only',
        depends: 'so:libc.musl-x86_64.so.1',
        files: [
          ['/bin/busybox', 800],
          ['/etc/securetty', 20],
        ] as [string, number][],
      },
      {
        name: 'curl',
        version: '8.5.0-r0',
        depends: 'ca-certificates-bundle libcurl=8.5.0-r0 so:libc.musl-x86_64.so.1',
        files: [['/usr/bin/curl', 250]] as [string, number][],
      },
    ];
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            {
              type: 'file',
              path: 'etc/os-release',
              content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n',
            },
            { type: 'file', path: 'lib/apk/db/installed', content: apkInstalled(packages.slice(0, 2)) },
            { type: 'file', path: 'etc/apk/world', content: 'busybox\n' },
            ...packages
              .slice(0, 2)
              .flatMap((apk) =>
                apk.files.map(([path, size]) => ({ type: 'file' as const, path: path.slice(1), size })),
              ),
          ],
        },
        {
          entries: [
            { type: 'file', path: 'lib/apk/db/installed', content: apkInstalled(packages) },
            { type: 'file', path: 'etc/apk/world', content: 'busybox\ncurl>=8\n' },
            { type: 'file', path: 'usr/bin/curl', size: 250 },
          ],
        },
      ],
    });
    expect(summary(analysis)).toEqual({
      'apk:busybox': {
        version: '1.36.1-r5',
        sizeBytes: 820,
        sizeSource: 'files',
        fileCount: 2,
        layerIndex: 0,
        changedInLayers: [],
        reason: 'requested',
      },
      'apk:musl': {
        version: '1.2.4-r2',
        sizeBytes: 600,
        sizeSource: 'files',
        fileCount: 2,
        layerIndex: 0,
        changedInLayers: [],
        reason: 'dependency',
      },
      'apk:curl': {
        version: '8.5.0-r0',
        sizeBytes: 250,
        sizeSource: 'files',
        fileCount: 1,
        layerIndex: 1,
        changedInLayers: [],
        reason: 'requested',
      },
    });
    expect(analysis.packages.packages.find((record) => record.name === 'busybox')).toMatchObject({
      license: 'GPL-2.0-only',
      purl: 'pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=alpine-3.19.1',
    });
  });
});

describe('Python inventory', () => {
  const site = 'usr/local/lib/python3.12/site-packages';
  it('weighs a wheel by its RECORD (scripts outside site-packages included) and an egg by installed-files.txt', async () => {
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            {
              type: 'file',
              path: `${site}/Flask-3.0.0.dist-info/METADATA`,
              content: pythonMetadata('Flask', '3.0.0'),
            },
            {
              type: 'file',
              path: `${site}/Flask-3.0.0.dist-info/RECORD`,
              content: pythonRecord([
                'flask/__init__.py',
                'flask/app.py',
                'flask/a,b.py',
                '../../../bin/flask',
                'Flask-3.0.0.dist-info/METADATA',
                'Flask-3.0.0.dist-info/RECORD',
              ]),
            },
            { type: 'file', path: `${site}/flask/__init__.py`, size: 100 },
            { type: 'file', path: `${site}/flask/app.py`, size: 1000 },
            { type: 'file', path: `${site}/flask/a,b.py`, size: 7 },
            { type: 'file', path: 'usr/local/bin/flask', size: 200 },
            {
              type: 'file',
              path: `${site}/six-1.16.0.egg-info/PKG-INFO`,
              content: pythonMetadata('six', '1.16.0', 'MIT'),
            },
            {
              type: 'file',
              path: `${site}/six-1.16.0.egg-info/installed-files.txt`,
              content: '../six.py\nPKG-INFO\n',
            },
            { type: 'file', path: `${site}/six.py`, size: 3000 },
          ],
        },
      ],
    });
    const metadataBytes = pythonMetadata('Flask', '3.0.0').length;
    const recordBytes = pythonRecord([
      'flask/__init__.py',
      'flask/app.py',
      'flask/a,b.py',
      '../../../bin/flask',
      'Flask-3.0.0.dist-info/METADATA',
      'Flask-3.0.0.dist-info/RECORD',
    ]).length;
    expect(summary(analysis)).toEqual({
      'python:six': {
        version: '1.16.0',
        sizeBytes: 3000 + pythonMetadata('six', '1.16.0', 'MIT').length,
        sizeSource: 'files',
        fileCount: 2,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
      'python:Flask': {
        version: '3.0.0',
        sizeBytes: 1307 + metadataBytes + recordBytes,
        sizeSource: 'files',
        fileCount: 6,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
    });
    expect(analysis.packages.packages.map((record) => [record.purl, record.license])).toEqual([
      ['pkg:pypi/six@1.16.0', 'MIT'],
      ['pkg:pypi/flask@3.0.0', 'BSD-3-Clause'],
    ]);
  });
});

describe('npm inventory', () => {
  it('lists nested and scoped packages, each weighing its directory without its own node_modules', async () => {
    const json = (name: string, version: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ name, version, ...extra }, null, 2);
    const app = 'app/node_modules';
    const files = {
      express: json('express', '4.18.2', { license: 'MIT' }),
      nested: json('debug', '2.6.9', { license: { type: 'MIT' } }),
      scoped: json('@babel/core', '7.23.0'),
    };
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            { type: 'file', path: 'app/package.json', content: json('my-app', '1.0.0') },
            { type: 'file', path: `${app}/express/package.json`, content: files.express },
            { type: 'file', path: `${app}/express/index.js`, size: 500 },
            { type: 'file', path: `${app}/express/node_modules/debug/package.json`, content: files.nested },
            { type: 'file', path: `${app}/express/node_modules/debug/src/index.js`, size: 300 },
            { type: 'file', path: `${app}/@babel/core/package.json`, content: files.scoped },
            { type: 'file', path: `${app}/@babel/core/lib/index.js`, size: 900 },
            { type: 'file', path: `${app}/express-extra/index.js`, size: 11 },
            { type: 'file', path: `${app}/.package-lock.json`, content: '{}' },
          ],
        },
        { entries: [{ type: 'file', path: `${app}/express/index.js`, size: 501 }] },
      ],
    });
    expect(summary(analysis)).toEqual({
      'npm:@babel/core': {
        version: '7.23.0',
        sizeBytes: 900 + files.scoped.length,
        sizeSource: 'files',
        fileCount: 2,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
      'npm:express': {
        version: '4.18.2',
        sizeBytes: 501 + files.express.length,
        sizeSource: 'files',
        fileCount: 2,
        layerIndex: 0,
        changedInLayers: [1],
        reason: null,
      },
      'npm:debug': {
        version: '2.6.9',
        sizeBytes: 300 + files.nested.length,
        sizeSource: 'files',
        fileCount: 2,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
    });
    expect(analysis.packages.packages.map((record) => [record.purl, record.license])).toEqual([
      ['pkg:npm/%40babel/core@7.23.0', null],
      ['pkg:npm/express@4.18.2', 'MIT'],
      ['pkg:npm/debug@2.6.9', 'MIT'],
    ]);
  });
});

describe('hostile package metadata', () => {
  it('warns and lists nothing for a 100 MB status file, a package.json that is not JSON, a RECORD escaping the root', async () => {
    const site = 'usr/lib/python3/dist-packages';
    const analysis = await analysisOf({
      layers: [
        {
          entries: [
            { type: 'file', path: 'var/lib/dpkg/status', size: 100_000_000, fill: 'text' },
            {
              type: 'file',
              path: 'app/node_modules/bad/package.json',
              content: '{"name": "bad", "version": ',
            },
            { type: 'file', path: 'app/node_modules/array/package.json', content: '[1, 2]' },
            {
              type: 'file',
              path: `${site}/evil-1.0.dist-info/METADATA`,
              content: pythonMetadata('evil', '1.0'),
            },
            {
              type: 'file',
              path: `${site}/evil-1.0.dist-info/RECORD`,
              content: pythonRecord(['../../../../../../../etc/passwd', 'evil.py']),
            },
            { type: 'file', path: `${site}/evil.py`, size: 10 },
            { type: 'file', path: 'etc/passwd', size: 5000 },
          ],
        },
      ],
    });
    expect(summary(analysis)).toEqual({
      'python:evil': {
        version: '1.0',
        sizeBytes: 10,
        sizeSource: 'files',
        fileCount: 1,
        layerIndex: 0,
        changedInLayers: [],
        reason: null,
      },
    });
    expect(analysis.warnings).toEqual([
      'layer 0: package metadata "/var/lib/dpkg/status" is 100000000 bytes, over the 33554432-byte limit for such a file; its packages are not listed',
      'python: "/usr/lib/python3/dist-packages/evil-1.0.dist-info/RECORD" lists 1 path(s) outside the image root; not counted',
      'npm: "/app/node_modules/array/package.json" is not a JSON object; skipped',
      'npm: "/app/node_modules/bad/package.json" is not JSON; skipped',
    ]);
  });
});
