import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupTempDirs,
  tempDir,
  writeDockerArchive,
  writeOciArchive,
  writeOciLayout,
  writeOciMultiPlatform,
  type ImageSpec,
} from '../helpers/image-builder.js';
import { analyzeJson, runCli } from '../helpers/run-cli.js';
import { SCENARIO_CHANGES } from '../unit/analysis/scenario.js';

/**
 * The scenario of test/unit/analysis/scenario.ts as a real image: overwrite, mode-only rewrite,
 * file and directory whiteouts, an opaque directory, a symlink, and a hard link whose target a
 * later layer deletes. Figures are worked out by hand there.
 */
function scenario(compression: 'none' | 'gzip' | 'zstd'): ImageSpec {
  return {
    user: '10001:10001',
    layers: [
      {
        compression,
        createdBy: '/bin/sh -c #(nop) ADD file:base in / ',
        entries: [
          { type: 'dir', path: '/etc' },
          { type: 'file', path: '/etc/a', content: 'a'.repeat(100) },
          { type: 'file', path: '/etc/b', content: 'b'.repeat(200), mode: 0o644 },
          { type: 'symlink', path: '/etc/link', target: 'a' },
          { type: 'dir', path: '/data' },
          { type: 'file', path: '/data/x', size: 300 },
          { type: 'file', path: '/data/y', size: 50 },
          { type: 'dir', path: '/bin' },
          { type: 'file', path: '/bin/tool', size: 1000 },
          { type: 'hardlink', path: '/bin/tool2', target: '/bin/tool' },
        ],
      },
      {
        compression,
        createdBy: '/bin/sh -c echo changes',
        entries: [
          { type: 'file', path: '/etc/a', content: 'A'.repeat(120) },
          { type: 'file', path: '/etc/b', content: 'b'.repeat(200), mode: 0o600 },
          { type: 'whiteout', path: '/data' },
          { type: 'file', path: '/new', size: 10 },
        ],
      },
      {
        compression,
        createdBy: '/bin/sh -c rm -rf /etc/* /bin/tool && echo c > /etc/c',
        entries: [
          { type: 'opaque', dir: '/etc' },
          { type: 'file', path: '/etc/c', size: 5 },
          { type: 'whiteout', path: '/bin/tool' },
        ],
      },
    ],
  };
}

interface Report {
  image: {
    source: string;
    digest: string | null;
    platform: string;
    index: { digest: string | null; platforms: string[] } | null;
    user: string;
    sizeBytes: number;
    compressedSizeBytes: number | null;
  };
  efficiency: { score: number; wastedBytes: number; reclaimableBytes: number };
  layers: Record<string, number | string | null>[];
}

function analyze(target: string, ...flags: string[]): Promise<Report> {
  return analyzeJson<Report>([target, ...flags]);
}

function expectScenario(report: Report): void {
  expect(report.image.sizeBytes).toBe(1985);
  expect(report.image.user).toBe('10001:10001');
  expect(report.efficiency.reclaimableBytes).toBe(970);
  expect(report.efficiency.score).toBe(1015 / 2335);
  expect(report.efficiency.wastedBytes).toBe(1620);
  expect(
    report.layers.map((layer) =>
      Object.fromEntries(Object.keys(SCENARIO_CHANGES[0]!).map((key) => [key, layer[key]])),
    ),
  ).toEqual(SCENARIO_CHANGES);
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanupTempDirs);

describe('every source gives the same analysis of the same image', () => {
  it.each(['legacy', 'skopeo', 'docker25'] as const)('docker-archive, %s layout', async (layout) => {
    const file = join(dir, `scenario-${layout}.tar`);
    const built = await writeDockerArchive(scenario('none'), file, { layout, repoTags: ['app:1'] });
    const report = await analyze(file);
    expectScenario(report);
    expect(report.image.source).toBe('docker-archive');
    expect(report.image.digest).toBe(layout === 'docker25' ? built.manifestDigest : null);
    expect(report.layers.map((layer) => layer['diffId'])).toEqual(built.diffIds);
    expect(report.image.compressedSizeBytes).toBeNull();
    const viaTransport = await analyze(`docker-archive:${file}`);
    expect({ ...viaTransport, image: { ...viaTransport.image, reference: file } }).toEqual(report);
  });

  it('docker-archive with gzip layers (kaniko, crane)', async () => {
    const file = join(dir, 'scenario-gzip.tar');
    const built = await writeDockerArchive(scenario('gzip'), file, { layout: 'skopeo' });
    const report = await analyze(file);
    expectScenario(report);
    expect(report.layers.map((layer) => layer['compressedSizeBytes'])).toEqual(built.layerSizes);
  });

  it.each(['gzip', 'zstd', 'none'] as const)(
    'OCI layout directory and archive, %s layers',
    async (compression) => {
      const layout = join(dir, `oci-${compression}`);
      const built = await writeOciLayout(scenario(compression), layout, { tag: 'v1' });
      const report = await analyze(layout);
      expectScenario(report);
      expect(report.image.source).toBe('oci-layout');
      expect(report.image.digest).toBe(built.manifestDigest);
      expect(report.layers.map((layer) => layer['digest'])).toEqual(built.layerDigests);
      expect(report.image.compressedSizeBytes).toBe(
        compression === 'none' ? null : built.layerSizes.reduce((a, b) => a + b, 0),
      );
      expect(await analyze(`oci:${layout}:v1`)).toMatchObject({ efficiency: report.efficiency });

      const archive = join(dir, `oci-${compression}.tar`);
      await writeOciArchive(scenario(compression), archive, { tag: 'v1' });
      const fromArchive = await analyze(`oci-archive:${archive}:v1`);
      expectScenario(fromArchive);
      expect(fromArchive.image.source).toBe('oci-archive');
    },
  );

  it('names the tags a layout has when the asked one is missing', async () => {
    const layout = join(dir, 'tagged');
    await writeOciLayout(scenario('gzip'), layout, { tag: 'v1' });
    const result = await runCli(['analyze', `oci:${layout}:v2`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no image tagged "v2"; tags: v1/);
  });
});

describe('multi-platform images', () => {
  it('picks the asked platform and skips attestations, and names the index and its other platforms', async () => {
    const layout = join(dir, 'multi');
    const amd64 = { ...scenario('gzip'), architecture: 'amd64' };
    const arm64: ImageSpec = {
      architecture: 'arm64',
      variant: 'v8',
      layers: [{ compression: 'gzip', entries: [{ type: 'file', path: '/arm', size: 42 }] }],
    };
    const { indexDigest } = await writeOciMultiPlatform([amd64, arm64], layout, {
      tag: 'latest',
      attestation: true,
    });
    const arm = await analyze(layout, '--platform', 'linux/arm64');
    expect(arm.image.platform).toBe('linux/arm64/v8');
    expect(arm.image.sizeBytes).toBe(42);
    expect(arm.image.index).toEqual({ digest: indexDigest, platforms: ['linux/amd64', 'linux/arm64/v8'] });
    const amd = await analyze(layout, '--platform', 'linux/amd64');
    expectScenario(amd);
    const table = await runCli(['analyze', layout, '--platform', 'linux/amd64']);
    expect(table.stdout).toMatch(new RegExp(`│ Index +│ ${indexDigest} +│`));
    expect(table.stdout).toMatch(/│ Other platforms +│ linux\/arm64\/v8 +│/);
    const missing = await runCli(['analyze', layout, '--platform', 'linux/riscv64']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /no image for platform linux\/riscv64; available: linux\/amd64, linux\/arm64\/v8 \(choose one with --platform\)\n$/,
    );
  });
});

describe('single-platform images and --platform', () => {
  it("selects a layout's lone image by its config's platform when index.json names none", async () => {
    const layout = join(dir, 'lone');
    // writeOciLayout's index.json entry has no platform, as skopeo and many tools write it.
    await writeOciLayout({ ...scenario('gzip'), architecture: 'amd64' }, layout);
    const report = await analyze(layout, '--platform', 'linux/amd64');
    expect(report.image.platform).toBe('linux/amd64');
    expect(report.image.index).toBeNull();
    expectScenario(report);
    const wrong = await runCli(['analyze', layout, '--platform', 'linux/arm64']);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toBe(
      `imgscope: error: ${layout} is a single-platform image for linux/amd64, not linux/arm64 (drop --platform, or name the image built for that platform)\n`,
    );
  });

  it('refuses a --platform a docker save archive is not for, naming its platform', async () => {
    const archive = join(dir, 'single-arm.tar');
    await writeDockerArchive({ ...scenario('none'), architecture: 'arm64', variant: 'v8' }, archive);
    expectScenario(await analyze(archive, '--platform', 'linux/arm64'));
    const wrong = await runCli(['analyze', archive, '--platform', 'linux/amd64']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      `imgscope: error: ${archive} is a single-platform image for linux/arm64/v8, not linux/amd64 (drop --platform, or name the image built for that platform)\n`,
    );
  });
});
