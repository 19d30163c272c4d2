// Reports say what they do not know (issue 12 item 6): --no-layers shows n/a / null for what it
// did not measure, a docker-archive's layer sizes come from the outer tar, and an image whose
// layers are partly uncompressed states its compressed size for the layers that have one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupTempDirs,
  tempDir,
  writeDockerArchive,
  writeOciLayout,
  type BuiltImage,
  type Compression,
  type ImageSpec,
} from '../helpers/image-builder.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/imgscope-analysis.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv.default({ allErrors: true, strict: false }).compile(schema);

interface Report {
  image: { sizeBytes: number | null; compressedSizeBytes: number | null; metadataOnly: boolean };
  efficiency: Record<string, unknown>;
  layers: Record<string, unknown>[];
}

function spec(compression: Compression[]): ImageSpec {
  const sizes = [50_000, 40_000, 30_000];
  return {
    layers: compression.map((c, i) => ({
      createdBy: i === 0 ? '/bin/sh -c #(nop) ADD file:base in / ' : `/bin/sh -c echo ${i}`,
      compression: c,
      entries: [{ type: 'file', path: `l${i}.bin`, size: sizes[i] ?? 0, fill: 'text' }],
    })),
  };
}

async function analyze(image: string, flags: string[]): Promise<CliResult> {
  const result = await runCli(['analyze', image, ...flags]);
  expect(result.stderr).toBe('');
  return result;
}

async function json(image: string, flags: string[] = []): Promise<Report> {
  const report = JSON.parse((await analyze(image, ['--json', ...flags])).stdout) as Report;
  expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  return report;
}

const UNKNOWN_LAYER = {
  fileCount: null,
  addedFiles: null,
  addedBytes: null,
  modifiedFiles: null,
  modifiedBytes: null,
  metadataOnlyFiles: null,
  metadataOnlyBytes: null,
  removedFiles: null,
  removedBytes: null,
};

describe('what a report does not know', () => {
  let dir: string;
  let plain: string;
  let plainBuilt: BuiltImage;
  let mixed: string;
  let mixedBuilt: BuiltImage;
  let gzip: string;
  let gzipBuilt: BuiltImage;

  beforeAll(async () => {
    dir = await tempDir('imgscope-unknown-');
    plain = join(dir, 'plain.tar');
    plainBuilt = await writeDockerArchive(spec(['none', 'none', 'none']), plain);
    mixed = join(dir, 'mixed');
    mixedBuilt = await writeOciLayout(spec(['gzip', 'zstd', 'none']), mixed);
    gzip = join(dir, 'gzip');
    gzipBuilt = await writeOciLayout(spec(['gzip', 'gzip', 'gzip']), gzip);
  });

  afterAll(cleanupTempDirs);

  it('--no-layers on a docker save: layer sizes are the outer tar members, efficiency and counts null', async () => {
    const report = await json(plain, ['--no-layers']);
    // The legacy archive stores each layer as an uncompressed tar: its member size is the tar's.
    expect(plainBuilt.layerSizes).toEqual(plainBuilt.layerUncompressedSizes);
    expect(report.layers.map((l) => [l['sizeBytes'], l['compressedSizeBytes']])).toEqual(
      plainBuilt.layerSizes.map((size) => [size, null]),
    );
    expect(report.image).toMatchObject({
      sizeBytes: plainBuilt.layerSizes.reduce((a, b) => a + b, 0),
      compressedSizeBytes: null,
      metadataOnly: true,
    });
    expect(report.efficiency).toEqual({
      score: null,
      wastedBytes: null,
      userSizeBytes: null,
      userWastedPercent: null,
      reclaimableBytes: null,
      inefficientFiles: null,
    });
    for (const layer of report.layers) expect(layer).toMatchObject(UNKNOWN_LAYER);

    const table = (await analyze(plain, ['--no-layers'])).stdout;
    expect(table).toMatch(/Total size +│ \d+ kB of layer tars in 3 layers +│/);
    for (const row of ['Efficiency', 'Wasted bytes', 'User wasted', 'Reclaimable'])
      expect(table).toMatch(new RegExp(`│ ${row} +│ n/a +│`));
    expect(table).toContain('Inefficient files: n/a');
  });

  it('--no-layers on mixed gzip, zstd and plain layers: compressed sizes where compressed, the tar size where not', async () => {
    const report = await json(mixed, ['--no-layers']);
    const [gz = 0, zst = 0, tar = 0] = mixedBuilt.layerSizes;
    expect(report.layers.map((l) => [l['sizeBytes'], l['compressedSizeBytes']])).toEqual([
      [null, gz],
      [null, zst],
      [tar, null],
    ]);
    expect(report.image).toMatchObject({ sizeBytes: null, compressedSizeBytes: null });
    const table = (await analyze(mixed, ['--no-layers'])).stdout;
    expect(table).toMatch(
      /Total size +│ n\/a in 3 layers \(\d+\.\d kB compressed in 2 of 3 layers; the others are stored uncompressed\)/,
    );
  });

  it('--no-layers --ci: dive rules cannot be checked (WARN), the layer count still is', async () => {
    const result = await analyze(plain, ['--no-layers', '--ci', '--max-layers', '2']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /WARN {2}lowestEfficiency +cannot be checked: not measured with --no-layers \(the layers were not read\)/,
    );
    expect(result.stdout).toMatch(/FAIL {2}maxLayers +layer count 3 is above the threshold 2/);
  });

  it('states the compressed size of a mixed image for the layers that have one', async () => {
    const report = await json(mixed);
    const [gz = 0, zst = 0] = mixedBuilt.layerSizes;
    expect(report.image).toMatchObject({ sizeBytes: 120_000, compressedSizeBytes: null });
    expect(report.layers.map((l) => l['compressedSizeBytes'])).toEqual([gz, zst, null]);
    const table = (await analyze(mixed, [])).stdout;
    const kB = ((gz + zst) / 1000).toFixed(1);
    expect(table).toContain(
      `│ Total size   │ 120 kB in 3 layers (${kB} kB compressed in 2 of 3 layers; the others are stored uncompressed) │`,
    );
  });

  it('diff shows the compressed size only on the side where it is known', async () => {
    const result = await runCli(['diff', gzip, mixed, '--json']);
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout) as {
      summary: { compressedSizeBytes: { before: number | null; after: number | null; delta: number | null } };
    };
    expect(diff.summary.compressedSizeBytes).toEqual({
      before: gzipBuilt.layerSizes.reduce((a, b) => a + b, 0),
      after: null,
      delta: null,
      percent: null,
    });
    const table = (await runCli(['diff', gzip, mixed])).stdout;
    const before = gzipBuilt.layerSizes.reduce((a, b) => a + b, 0);
    expect(table).toMatch(new RegExp(`│ Compressed +│ ${(before / 1000).toFixed(1)} kB +│ - +│ +│ +│`));
  });
});
