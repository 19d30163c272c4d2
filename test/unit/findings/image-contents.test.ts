import { afterAll, describe, expect, it } from 'vitest';
import { findProblems } from '../../../src/findings/index.js';
import { cleanupTempDirs, type ImageSpec } from '../../helpers/image-builder.js';
import {
  BASE,
  analysisOf,
  file,
  findingsOf,
  reportFor,
  run,
  whiteout,
} from '../../helpers/generated-report.js';

afterAll(cleanupTempDirs);

const toolchain = [
  file('usr/bin/gcc-12', 3000),
  { type: 'symlink' as const, path: 'usr/bin/gcc', target: 'gcc-12' },
  file('usr/bin/make', 1000),
  file('usr/include/stdio.h', 200),
  file('usr/lib/gcc/x86_64-linux-gnu/12/cc1', 6000),
  file('usr/bin/python3', 4000),
];

describe('build-tools-shipped', () => {
  it('weighs compilers, make and headers in the final image and sketches a multi-stage build', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('apt-get install -y --no-install-recommends build-essential python3'),
          entries: toolchain,
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'build-tools-shipped');
    expect(finding).toMatchObject({ layerIndex: 1, wastedBytes: 10200, pathsOmitted: 0 });
    expect(finding?.paths).toEqual([
      { path: '/usr/lib/gcc/x86_64-linux-gnu/12/cc1', sizeBytes: 6000 },
      { path: '/usr/bin/gcc-12', sizeBytes: 3000 },
      { path: '/usr/bin/make', sizeBytes: 1000 },
      { path: '/usr/include/stdio.h', sizeBytes: 200 },
    ]);
    expect(finding?.message).toBe(
      'The final image ships C/C++ compiler (9,000 bytes), build tools (make, cmake, binutils) (1,000 bytes), C headers (*-dev packages) (200 bytes): 10,200 bytes that only building needs.',
    );
    expect(finding?.advice.dockerfile?.after).toContain('FROM <base> AS build');
  });

  it('does not report tools a later layer removed, nor those of the base image', async () => {
    const removed = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('apt-get install -y build-essential'), entries: toolchain },
        {
          createdBy: run('apt-get purge -y build-essential'),
          entries: ['usr/bin/gcc-12', 'usr/bin/gcc', 'usr/bin/make', 'usr/include', 'usr/lib/gcc'].map(
            whiteout,
          ),
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(removed, 'build-tools-shipped')).toEqual([]);
    expect(findingsOf(removed, 'deleted-in-later-layer').map((f) => f.wastedBytes)).toEqual([10200]);

    const inBase = await reportFor({
      layers: [
        { ...BASE.layer, entries: toolchain },
        { createdBy: run('echo hi > /hi'), entries: [file('hi', 3)] },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(inBase, 'build-tools-shipped')).toEqual([]);
  });

  it('knows each toolchain by its place, and not the paths beside them', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('install toolchains'),
          entries: [
            file('usr/lib/llvm-16/bin/clang', 100),
            file('usr/local/bin/x86_64-linux-gnu-ld.gold', 200),
            file('usr/local/go/bin/go', 400),
            file('root/.cargo/bin/cargo', 800),
            file('opt/jdk/bin/javac', 1600),
            file('app/node_modules/.cache/babel/x.json', 3200),
            // Beside them: none of these is a toolchain.
            file('usr/bin/gccx', 1),
            file('usr/local/bin/makefile', 2),
            file('usr/lib/go/README', 4),
            file('home/app/cargo-notes/x', 8),
            file('opt/jdk/bin/javac.txt', 16),
            file('app/node_modules/cache/y', 32),
          ],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'build-tools-shipped');
    expect(finding?.wastedBytes).toBe(6300);
    expect(finding?.message).toBe(
      'The final image ships C/C++ compiler (100 bytes), build tools (make, cmake, binutils) (200 bytes), Go toolchain (400 bytes), Rust toolchain (800 bytes), Java compiler (1,600 bytes), node_modules/.cache (3,200 bytes): 6,300 bytes that only building needs.',
    );
  });
});

describe('temp-files-left', () => {
  it('reports /tmp, /var/tmp and ~/.cache files left by a RUN, and a copied .git directory', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('curl -o /tmp/installer.sh https://example.invalid/i.sh && sh /tmp/installer.sh'),
          entries: [
            file('tmp/installer.sh', 4000),
            file('var/tmp/build.log', 500),
            file('root/.cache/go-build/ab/x', 700),
            file('tmp/empty', 0),
          ],
        },
        {
          createdBy: 'COPY . /app # buildkit',
          entries: [
            file('app/main.go', 900),
            file('app/.git/objects/pack/pack-1.pack', 8000),
            file('app/.git/HEAD', 23),
          ],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const findings = findingsOf(report, 'temp-files-left');
    expect(findings.map((f) => [f.title, f.layerIndex, f.wastedBytes])).toEqual([
      ['Git repository copied into the image', 2, 8023],
      ['Temporary files left in the image', 1, 5200],
    ]);
    expect(findings[1]?.advice.dockerfile?.after).toBe(
      'RUN curl -o /tmp/installer.sh https://example.invalid/i.sh && sh /tmp/installer.sh && rm -rf /tmp/* /var/tmp/* /root/.cache/*',
    );
    expect(findings[0]?.message).toBe('Layer 2 copies /app/.git (2 files, 8,023 bytes) into the image.');
  });

  it('leaves temp files a later layer deleted to deleted-in-later-layer', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('download'), entries: [file('tmp/big.iso', 9000)] },
        { createdBy: run('rm /tmp/big.iso'), entries: [whiteout('tmp/big.iso')] },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'temp-files-left')).toEqual([]);
    expect(findingsOf(report, 'deleted-in-later-layer').map((f) => f.wastedBytes)).toEqual([9000]);
  });
});

describe('many-small-layers', () => {
  it('reports a run of consecutive RUN layers (ENV between them does not break it) with the chained RUN', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('apt-get update'), entries: [file('a', 1)] },
        { createdBy: run('apt-get install -y --no-install-recommends curl'), entries: [file('b', 1)] },
        { createdBy: run('rm -rf /var/lib/apt/lists/*'), entries: [file('c', 1)] },
        { createdBy: '/bin/sh -c #(nop) COPY file:ab in /app ', entries: [file('app', 1)] },
        { createdBy: run('chmod +x /app'), entries: [file('d', 1)] },
      ],
      emptyHistory: [
        BASE.history,
        { after: 1, createdBy: '/bin/sh -c #(nop)  ENV DEBIAN_FRONTEND=noninteractive' },
      ],
    });
    const findings = findingsOf(report, 'many-small-layers');
    expect(findings.map((f) => [f.severity, f.layerIndex, f.message])).toEqual([
      ['info', 1, 'Layers 1 to 3 are 3 consecutive RUN instructions.'],
    ]);
    expect(findings[0]?.advice.dockerfile?.after).toBe(
      'RUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*',
    );
  });

  it('reports two RUN layers in a row, the least that makes a run', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('make'), entries: [file('a', 1)] },
        { createdBy: run('make install'), entries: [file('b', 1)] },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'many-small-layers').map((f) => [f.layerIndex, f.message])).toEqual([
      [1, 'Layers 1 to 2 are 2 consecutive RUN instructions.'],
    ]);
  });

  it('reports nothing for RUN layers that COPY or WORKDIR separate, nor for one RUN', async () => {
    const separated = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('make'), entries: [file('a', 1)] },
        { createdBy: '/bin/sh -c #(nop) COPY file:ab in /app ', entries: [file('app', 1)] },
        { createdBy: run('make install'), entries: [file('b', 1)] },
        { createdBy: run('make check'), entries: [file('c', 1)] },
      ],
      emptyHistory: [BASE.history, { after: 3, createdBy: '/bin/sh -c #(nop) WORKDIR /app' }],
    });
    expect(findingsOf(separated, 'many-small-layers')).toEqual([]);
    const single = await reportFor({
      layers: [BASE.layer, { createdBy: run('make'), entries: [file('a', 1)] }],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(single, 'many-small-layers')).toEqual([]);
  });
});

describe('large-base-image', () => {
  const spec: ImageSpec = {
    layers: [
      {
        createdBy: BASE.layer.createdBy,
        entries: [file('etc/debian_version', 5, { content: '12.5\n' }), file('usr/lib/big.so', 6000)],
      },
      { createdBy: run('install app'), entries: [file('app/bin', 2000)] },
    ],
    emptyHistory: [BASE.history],
  };

  it('notes the base share of the image from the threshold on, with Debian alternatives', async () => {
    const analysis = await analysisOf(spec);
    const noted = findProblems(analysis, undefined, { largeBaseMinBytes: 6005 });
    const [finding] = noted.findings.filter((f) => f.id === 'large-base-image');
    expect(finding).toMatchObject({ severity: 'info', wastedBytes: 0, layerIndex: null });
    expect(finding?.message).toBe(
      `The base image (layer 0) is 6,005 bytes, ${((6005 / 8005) * 100).toFixed(1)} % of the image.`,
    );
    expect(finding?.advice.text).toContain('-slim');
    const quiet = findProblems(analysis, undefined, { largeBaseMinBytes: 6006 });
    expect(quiet.findings.filter((f) => f.id === 'large-base-image')).toEqual([]);
  });

  it('stays quiet under the default threshold (100 MB)', async () => {
    expect(findingsOf(await reportFor(spec), 'large-base-image')).toEqual([]);
  });
});
