// Findings that name packages: apt-install-recommends weighs the packages a step brought in only
// through Recommends, build-tools-shipped names the packages behind the toolchain files. The
// images carry dpkg's status, file lists and apt's extended_states in their real formats.
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, type EntrySpec } from '../../helpers/image-builder.js';
import { BASE, findingsOf, reportFor, run } from '../../helpers/generated-report.js';
import { dpkgEntries, extendedStates, type DebSpec } from '../../helpers/package-metadata.js';

afterAll(cleanupTempDirs);

const CURL: DebSpec[] = [
  { name: 'curl', version: '7.88.1-10', depends: 'libcurl4 (= 7.88.1-10)', files: [['/usr/bin/curl', 300]] },
  {
    name: 'libcurl4',
    version: '7.88.1-10',
    depends: 'libc6',
    recommends: 'ca-certificates',
    files: [
      ['/usr/lib/x86_64-linux-gnu/libcurl.so.4', 700],
      ['/usr/share/doc/shared/copyright', 40],
    ],
  },
  { name: 'libc6', version: '2.36-9', files: [['/usr/lib/x86_64-linux-gnu/libc.so.6', 2_000]] },
  {
    name: 'ca-certificates',
    version: '20230311',
    arch: 'all',
    depends: 'openssl (>= 1.1.1)',
    files: [
      ['/usr/share/ca-certificates/mozilla/a.crt', 5_000],
      // Also listed by libcurl4, which stays: not saved.
      ['/usr/share/doc/shared/copyright', 40],
    ],
  },
  // Only ca-certificates depends on it: gone with it.
  { name: 'openssl', version: '3.0.11-1', files: [['/usr/bin/openssl', 8_000]] },
];

function aptLayer(
  command: string,
  packages: DebSpec[],
  automatic: string[],
): { createdBy: string; entries: EntrySpec[] } {
  return {
    createdBy: run(command),
    entries: [
      ...dpkgEntries(packages),
      { type: 'file', path: 'var/lib/apt/extended_states', content: extendedStates(automatic) },
    ],
  };
}

describe('apt-install-recommends with the packages known', () => {
  it('claims the files of the packages there only through Recommends, names the largest and lists them all', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        aptLayer('apt-get update && apt-get install -y curl', CURL, [
          'libcurl4',
          'libc6',
          'ca-certificates',
          'openssl',
        ]),
      ],
      emptyHistory: [BASE.history],
    });
    const [finding, ...more] = findingsOf(report, 'apt-install-recommends');
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'warning',
      layerIndex: 1,
      wastedBytes: 13_000,
      paths: [
        { path: '/usr/bin/openssl', sizeBytes: 8_000 },
        { path: '/usr/share/ca-certificates/mozilla/a.crt', sizeBytes: 5_000 },
      ],
    });
    expect(finding?.message).toBe(
      'Layer 1 installs packages with their recommended packages: 2 package(s) are there only through Recommends or Suggests, 13,000 bytes; the largest is openssl (8,000 bytes).',
    );
    expect(finding?.advice.text).toBe(
      'Add --no-install-recommends to apt-get install, and add back only the packages the application needs. Installed only as recommended: openssl (8,000 bytes), ca-certificates (5,000 bytes).',
    );
    expect(finding?.advice.dockerfile?.after).toContain('apt-get install -y --no-install-recommends curl');
  });

  it('says so when none of the packages the step installed is there only through Recommends', async () => {
    const report = await reportFor({
      layers: [BASE.layer, aptLayer('apt-get install -y curl', CURL.slice(0, 3), ['libcurl4', 'libc6'])],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'apt-install-recommends').map((f) => [f.wastedBytes, f.message])).toEqual([
      [
        0,
        'Layer 1 installs packages without --no-install-recommends; none of the packages it installed is there only through Recommends or Suggests.',
      ],
    ]);
  });
});

describe('build-tools-shipped with the packages known', () => {
  it('names the packages that ship the toolchain, with their bytes', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        aptLayer(
          'apt-get install -y --no-install-recommends gcc-12 make',
          [
            {
              name: 'gcc-12',
              version: '12.2.0-14',
              files: [
                ['/usr/bin/gcc-12', 3_000],
                ['/usr/lib/gcc/x86_64-linux-gnu/12/cc1', 60_000],
                ['/usr/share/doc/gcc-12/README', 500],
              ],
            },
            { name: 'make', version: '4.3-4.1', files: [['/usr/bin/make', 1_000]] },
            { name: 'libc6', version: '2.36-9', files: [['/usr/lib/x86_64-linux-gnu/libc.so.6', 2_000]] },
          ],
          ['libc6'],
        ),
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'build-tools-shipped');
    expect(finding?.wastedBytes).toBe(64_000);
    expect(finding?.message).toBe(
      'The final image ships C/C++ compiler (63,000 bytes), build tools (make, cmake, binutils) (1,000 bytes): 64,000 bytes that only building needs; from the package(s) gcc-12 (63,500 bytes), make (1,000 bytes).',
    );
    expect(finding?.advice.text).toMatch(
      / The packages to leave in the build stage: gcc-12 \(63,500 bytes\), make \(1,000 bytes\)\.$/,
    );
  });
});
