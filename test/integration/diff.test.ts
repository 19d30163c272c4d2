import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerContents } from '../../src/model/index.js';
import { analyzeResolved, type LayerCache } from '../../src/services/index.js';
import { openImageSource, type ResolvedImage } from '../../src/sources/index.js';
import {
  cleanupTempDirs,
  tempDir,
  writeDockerArchive,
  writeOciLayout,
  type ImageSpec,
} from '../helpers/image-builder.js';
import { FIXTURES, PROJECT_ROOT, runCli } from '../helpers/run-cli.js';

const baseLayer = {
  createdBy: '/bin/sh -c #(nop) ADD file:base in / ',
  entries: [{ type: 'file' as const, path: '/bin/sh', size: 4000 }],
};
const before: ImageSpec = {
  layers: [
    baseLayer,
    { createdBy: '/bin/sh -c make', entries: [{ type: 'file', path: '/app/bin', size: 900 }] },
  ],
};
const after: ImageSpec = {
  user: '10001',
  layers: [
    baseLayer,
    { createdBy: '/bin/sh -c make', entries: [{ type: 'file', path: '/app/bin', size: 1200 }] },
    {
      createdBy: '/bin/sh -c echo done > /app/done',
      entries: [{ type: 'file', path: '/app/done', size: 5 }],
    },
  ],
};

// The images live in the directory the CLI runs in, so reports name them as before.tar and after-oci.
let dir: string;
let beforeTar: string;
let afterLayout: string;
beforeAll(async () => {
  dir = await tempDir();
  beforeTar = join(dir, 'before.tar');
  afterLayout = join(dir, 'after-oci');
  await writeDockerArchive(before, beforeTar);
  await writeOciLayout(
    { ...after, layers: after.layers.map((l) => ({ ...l, compression: 'gzip' as const })) },
    afterLayout,
  );
});
afterAll(cleanupTempDirs);

describe('imgscope diff', () => {
  it('shows nothing changed between an image and itself, exit 0', async () => {
    const result = await runCli(['diff', beforeTar, beforeTar, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      layers: { rows: unknown[]; firstDivergence: null };
      files: { changes: unknown[] };
    };
    expect(report.layers.rows).toEqual([]);
    expect(report.layers.firstDivergence).toBeNull();
    expect(report.files.changes).toEqual([]);
  });

  it('compares a docker-archive with an OCI layout', async () => {
    const result = await runCli(['diff', beforeTar, afterLayout, '--json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      schemaVersion: number;
      before: { source: string };
      after: { source: string };
      summary: { sizeBytes: { delta: number }; user: { before: string; after: string } };
      layers: { sharedPrefixLayers: number; rows: { status: string }[] };
      files: { changes: { path: string; kind: string; changed: string[] }[] };
    };
    expect(report.schemaVersion).toBe(1);
    expect([report.before.source, report.after.source]).toEqual(['docker-archive', 'oci-layout']);
    expect(report.summary.sizeBytes.delta).toBe(305);
    expect(report.summary.user).toEqual({ before: '', after: '10001' });
    expect(report.layers.sharedPrefixLayers).toBe(1);
    expect(report.layers.rows.map((row) => row.status)).toEqual(['changed', 'added']);
    expect(report.files.changes.map((c) => [c.path, c.kind, c.changed])).toEqual([
      ['/app/bin', 'modified', ['content', 'size']],
      ['/app/done', 'added', []],
    ]);
  });

  it('prints the plain-text report of the golden file', async () => {
    const result = await runCli(['diff', 'before.tar', 'after-oci'], {}, { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(`${PROJECT_ROOT}test/golden/diff-before-after.txt`, 'utf8'));
  });

  it('writes a Markdown summary short enough for a pull-request comment', async () => {
    const result = await runCli(['diff', beforeTar, afterLayout, '--format', 'markdown']);
    expect(result.code).toBe(0);
    const summary = result.stdout.split('<details>')[0] ?? '';
    expect(summary.split('\n').length).toBeLessThanOrEqual(60);
    expect(summary).toContain('| Size | 4.9 kB | 5.2 kB | +305 B | +6.2 % |');
    expect(result.stdout).toContain('<details><summary>Layers</summary>');
  });

  it('gates growth with --max-growth: exit 1 over the limit, 0 within, JUnit on request', async () => {
    const over = await runCli(['diff', beforeTar, afterLayout, '--files', 'none', '--max-growth', '304B']);
    expect(over.code).toBe(1);
    expect(over.stdout).toContain('FAIL  maxGrowth  image grew by 305 B; allowed growth 304B (304 B)');
    const junit = join(dir, 'growth.xml');
    const within = await runCli([
      'diff',
      beforeTar,
      afterLayout,
      '--json',
      '--max-growth',
      '7%',
      '--junit',
      junit,
    ]);
    expect(within.code).toBe(0);
    expect((JSON.parse(within.stdout) as { gate: { passed: boolean } }).gate.passed).toBe(true);
    expect(readFileSync(junit, 'utf8')).toContain('maxGrowth');
    const bad = await runCli(['diff', beforeTar, afterLayout, '--max-growth', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^imgscope: error: --max-growth: /);
  });

  it('shows that the optimised rebuild of the example saves what its findings predicted', async () => {
    const result = await runCli([
      'diff',
      `${FIXTURES}example.tar`,
      `${FIXTURES}example-optimized.tar`,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      summary: { sizeBytes: { before: number; after: number; delta: number } };
      findings: {
        fixed: { id: string }[];
        introduced: unknown[];
        unchanged: unknown[];
        predictedSavingsBytes: number;
      };
    };
    expect(report.findings.fixed.map((f) => f.id).sort()).toEqual([
      'apt-archives-left',
      'apt-install-recommends',
      'apt-lists-left',
      'archive-extracted-later',
      'build-tools-shipped',
      'chmod-duplicate',
      'pip-cache-left',
      'runs-as-root',
    ]);
    expect(report.findings.introduced).toEqual([]);
    expect(report.findings.unchanged).toEqual([]);
    expect(report.summary.sizeBytes).toMatchObject({ before: 174_617, after: 89_518, delta: -85_099 });
    expect(report.findings.predictedSavingsBytes).toBe(82_366);
    // Predicted and won agree within a few percent (the rest: dpkg status and layer bookkeeping).
    expect(Math.abs(-report.summary.sizeBytes.delta - 82_366) / 82_366).toBeLessThan(0.05);
  });

  it('reads the layers both images share once', async () => {
    const other = join(dir, 'after.tar');
    await writeDockerArchive(after, other);
    let opens = 0;
    // A layer is read through its file region where it has one (an archive's), else its opener.
    const counted = async (reference: string): Promise<ResolvedImage> => {
      const image = await (await openImageSource(reference)).resolve({});
      return {
        ...image,
        layers: image.layers.map((layer) => {
          const { region } = layer;
          if (region === undefined) return { ...layer, open: () => (opens++, layer.open()) };
          return { ...layer, region: () => (opens++, region.call(layer)) };
        }),
      };
    };
    const cache: LayerCache = new Map<string, Promise<LayerContents>>();
    await analyzeResolved(await counted(beforeTar), 2, cache);
    expect(opens).toBe(2);
    await analyzeResolved(await counted(other), 2, cache);
    // The base layer is shared: only the two layers the second image does not share are read.
    expect(opens).toBe(4);
  });
});
