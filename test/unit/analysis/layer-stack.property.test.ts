import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAnalysis, computeDiveMetrics, LayerPaths, mergeLayers } from '../../../src/analysis/index.js';
import type { LayerContents, LayerEntry } from '../../../src/model/index.js';
import { contentsOf } from '../../helpers/layer-contents.js';
import { analyzeImage } from '../../../src/services/index.js';
import { cleanupTempDirs, tempDir, writeDockerArchive, type EntrySpec } from '../../helpers/image-builder.js';
import { referenceDiveMetrics } from '../../helpers/reference-dive.js';
import { referenceMerge } from '../../helpers/reference-filesystem.js';

/**
 * Generated layer stacks checked against the flat-map reference model of
 * test/helpers/reference-filesystem.ts, and dive's metrics against invariants. Paths come from
 * five names (among them "-" and ".z", which sort before and after a whiteout's ".wh." node) and
 * three levels, so layers collide constantly: overwrites, whiteouts of files and directories,
 * opaque markers, files replacing directories and back, links to anything.
 */

type GenEntry =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string; size: number; fill: string }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'hardlink'; path: string; target: string }
  | { kind: 'whiteout'; path: string }
  | { kind: 'opaque'; path: string };

const pathArb = fc
  .array(fc.constantFrom('a', 'b', 'c', '-', '.z'), { minLength: 1, maxLength: 3 })
  .map((parts) => `/${parts.join('/')}`);

const entryArb: fc.Arbitrary<GenEntry> = fc.oneof(
  fc.record({ kind: fc.constant('dir' as const), path: pathArb }),
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('file' as const),
      path: pathArb,
      size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
      fill: fc.constantFrom('x', 'y'),
    }),
  },
  fc.record({
    kind: fc.constant('symlink' as const),
    path: pathArb,
    target: fc.constantFrom('a', '/b', '../c'),
  }),
  fc.record({ kind: fc.constant('hardlink' as const), path: pathArb, target: pathArb }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('whiteout' as const), path: pathArb }) },
  fc.record({ kind: fc.constant('opaque' as const), path: pathArb }),
);

const stackArb = fc.array(fc.array(entryArb, { maxLength: 8 }), { minLength: 1, maxLength: 4 });

/** The same content hash the layer reader gives: empty files are all alike. */
const hashOf = (size: number, fill: string): string => (size === 0 ? 'empty' : `${fill}:${size}`);

function toContents(layer: GenEntry[]): LayerContents {
  const entries = layer.map((entry): LayerEntry => {
    const base = { path: entry.path, size: 0, mode: 0o644, uid: 0, gid: 0 };
    switch (entry.kind) {
      case 'dir':
        return { ...base, type: 'directory' };
      case 'file':
        return { ...base, type: 'file', size: entry.size, contentHash: hashOf(entry.size, entry.fill) };
      case 'symlink':
        return { ...base, type: 'symlink', linkTarget: entry.target };
      case 'hardlink':
        return { ...base, type: 'hardlink', linkTarget: entry.target };
      case 'whiteout':
        return { ...base, type: 'whiteout' };
      case 'opaque':
        return { ...base, type: 'opaque' };
    }
  });
  return contentsOf(entries);
}

const hasMarkers = (stack: GenEntry[][]): boolean =>
  stack.some((layer) => layer.some((entry) => entry.kind === 'whiteout' || entry.kind === 'opaque'));

const RUNS = { numRuns: 400 };

describe('mergeLayers against the reference model', () => {
  it('gives the same final files, stored, visible and reclaimable bytes, and per-layer changes', () => {
    fc.assert(
      fc.property(stackArb, (stack) => {
        const layers = stack.map(toContents);
        const actual = mergeLayers(layers);
        const expected = referenceMerge(layers);
        expect([...actual.finalFiles].map((file) => [file.path, file.type, file.size])).toEqual(
          expected.finalFiles,
        );
        expect(actual.storedBytes).toBe(expected.storedBytes);
        expect(actual.visibleBytes).toBe(expected.visibleBytes);
        expect(actual.reclaimableBytes).toBe(expected.reclaimableBytes);
        expect(actual.layerChanges).toEqual(expected.layerChanges);
      }),
      RUNS,
    );
  });

  it('keeps the file count in step with what the layers added and removed', () => {
    fc.assert(
      fc.property(stackArb, (stack) => {
        const merged = mergeLayers(stack.map(toContents));
        const net = merged.layerChanges.reduce((sum, c) => sum + c.addedFiles - c.removedFiles, 0);
        expect(net).toBe(merged.finalFiles.length);
        for (const changes of merged.layerChanges) {
          expect(Object.values(changes).every((value) => value >= 0)).toBe(true);
          expect(changes.metadataOnlyFiles).toBeLessThanOrEqual(changes.modifiedFiles);
          expect(changes.metadataOnlyBytes).toBeLessThanOrEqual(changes.modifiedBytes);
        }
        expect(merged.reclaimableBytes).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });
});

describe('dive metrics invariants', () => {
  it('keeps efficiency in [0, 1], wasted bytes the sum of the inefficient files, sizes the sum of the entries', () => {
    fc.assert(
      fc.property(stackArb, (stack) => {
        const layers = stack.map(toContents);
        const dive = computeDiveMetrics(layers);
        expect(dive.efficiency).toBeGreaterThanOrEqual(0);
        expect(dive.efficiency).toBeLessThanOrEqual(1);
        expect(dive.wastedBytes).toBe(dive.inefficientFiles.reduce((sum, file) => sum + file.wastedBytes, 0));
        expect(dive.inefficientFiles.every((file) => file.count >= 2)).toBe(true);
        const sizes = layers.map((layer) => [...layer.entries].reduce((sum, entry) => sum + entry.size, 0));
        expect(dive.sizeBytes).toBe(sizes.reduce((a, b) => a + b, 0));
        expect(dive.userSizeBytes).toBe(dive.sizeBytes - (sizes[0] ?? 0));
        expect(dive.userWastedPercent).toBe(
          dive.userSizeBytes === 0 ? null : dive.wastedBytes / dive.userSizeBytes,
        );
        if (!hasMarkers(stack)) {
          // Without whiteouts every counted size is an entry's own: waste cannot exceed the image.
          expect(dive.wastedBytes).toBeLessThanOrEqual(dive.sizeBytes);
        }
        if (layers.length === 1) {
          expect(dive.efficiency).toBe(1);
          expect(dive.wastedBytes).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it("agrees with main's dive algorithm (before the memory work), floating point included", () => {
    fc.assert(
      fc.property(stackArb, (stack) => {
        const layers = stack.map(toContents);
        expect(computeDiveMetrics(layers)).toEqual(referenceDiveMetrics(layers));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives exactly 0.5 for a marker-free layer stacked twice (every leaf counted twice, same size)', () => {
    const plain = fc.array(
      entryArb.filter((entry) => entry.kind !== 'whiteout' && entry.kind !== 'opaque'),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(plain, (layer) => {
        const contents = toContents(layer);
        const dive = computeDiveMetrics([contents, contents]);
        expect(dive.inefficientFiles.every((file) => file.count === 2)).toBe(true);
        expect(dive.efficiency).toBe(dive.wastedBytes === 0 ? 1 : 0.5);
        expect(dive.wastedBytes / 2).toBeLessThanOrEqual(contents.tarSizeBytes);
      }),
      RUNS,
    );
  });
});

describe('buildAnalysis', () => {
  it('reports each layer and the image as the model filesystem and the dive reference say', () => {
    fc.assert(
      fc.property(stackArb, (stack) => {
        const contents = stack.map(toContents);
        const analysis = buildAnalysis({
          image: {
            reference: 'x',
            source: 'docker-archive',
            digest: null,
            id: null,
            platform: null,
            user: '',
          },
          config: {},
          layers: contents.map(() => ({ diffId: null, digest: null })),
          contents,
        });
        // The model filesystem, not the merge buildAnalysis calls, says what the numbers must be.
        const expected = referenceMerge(contents);
        expect([...analysis.finalFiles].map((f) => [f.path, f.type, f.size])).toEqual(expected.finalFiles);
        expect(analysis.reclaimableBytes).toBe(expected.reclaimableBytes);
        expect(analysis.layers.map((layer) => layer.changes)).toEqual(expected.layerChanges);
        expect(analysis.dive).toEqual(referenceDiveMetrics(contents));
        const merged = mergeLayers(contents);
        expect(analysis.layers.map((layer) => layer.sizeBytes)).toEqual(contents.map((c) => c.tarSizeBytes));
        expect(analysis.sizeBytes).toBe(analysis.dive.sizeBytes);
        expect(analysis.warnings).toEqual(merged.warnings);
        for (const [i, layer] of analysis.layers.entries()) {
          const entries = [...(contents[i]?.entries ?? [])];
          expect(layer.fileCount).toBe(
            entries.filter((e) => e.type !== 'directory' && e.type !== 'whiteout' && e.type !== 'opaque')
              .length,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});

function toSpec(entry: GenEntry): EntrySpec {
  switch (entry.kind) {
    case 'dir':
      return { type: 'dir', path: entry.path };
    case 'file':
      return { type: 'file', path: entry.path, content: Buffer.alloc(entry.size, entry.fill) };
    case 'symlink':
      return { type: 'symlink', path: entry.path, target: entry.target };
    case 'hardlink':
      return { type: 'hardlink', path: entry.path, target: entry.target };
    case 'whiteout':
      return { type: 'whiteout', path: entry.path };
    case 'opaque':
      return { type: 'opaque', dir: entry.path };
  }
}

afterAll(cleanupTempDirs);

describe('paths numbered as the layers arrive', () => {
  it('gives the same analysis whatever the order the layers were numbered in, some or all of them', () => {
    const input = (layers: LayerContents[], paths?: LayerPaths) => ({
      image: {
        reference: 'x',
        source: 'docker-archive' as const,
        digest: null,
        id: 'x',
        platform: null,
        user: '',
      },
      config: {},
      layers: layers.map(() => ({ diffId: null, digest: null })),
      contents: layers,
      ...(paths === undefined ? {} : { paths }),
    });
    const comparable = (analysis: ReturnType<typeof buildAnalysis>) => ({
      dive: analysis.dive,
      layers: analysis.layers,
      reclaimableBytes: analysis.reclaimableBytes,
      warnings: analysis.warnings,
      files: [...analysis.finalFiles].map((file) => [file.path, file.type, file.size, file.layerIndex]),
      fates: analysis.contents.flatMap((layer, index) =>
        [...layer.entries].map((_, entry) => analysis.fates.of({ layer: index, index: entry })),
      ),
    });
    fc.assert(
      fc.property(
        stackArb.chain((stack) =>
          fc.tuple(
            fc.constant(stack),
            fc
              .subarray(stack.map((_, index) => index))
              .chain((some) => fc.shuffledSubarray(some, { minLength: some.length })),
          ),
        ),
        ([stack, order]) => {
          const layers = stack.map(toContents);
          const paths = new LayerPaths();
          for (const index of order) paths.add(index, layers[index]!.entries);
          expect(comparable(buildAnalysis(input(layers, paths)))).toEqual(
            comparable(buildAnalysis(input(layers))),
          );
        },
      ),
      RUNS,
    );
  });
});

describe('end to end through real archives', () => {
  it('analyzes generated stacks written as docker-archives as the model says', async () => {
    const dir = await tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(stackArb, async (stack) => {
        const file = join(dir, `stack-${n++}.tar`);
        await writeDockerArchive(
          { layers: stack.map((layer) => ({ entries: layer.map(toSpec), compression: 'gzip' as const })) },
          file,
          { layout: 'skopeo' },
        );
        const analysis = await analyzeImage(file);
        const expected = referenceMerge(stack.map(toContents));
        expect([...analysis.finalFiles].map((f) => [f.path, f.type, f.size])).toEqual(expected.finalFiles);
        expect(analysis.reclaimableBytes).toBe(expected.reclaimableBytes);
        expect(analysis.layers.map((layer) => layer.changes)).toEqual(expected.layerChanges);
        expect(analysis.dive).toEqual(referenceDiveMetrics(stack.map(toContents)));
      }),
      {
        numRuns: 25,
        examples: [
          // Found by a shuffled run: a hard link nested under the file it points to. The reader
          // shared the file's hash with the link; the merge had made the file a directory first.
          [
            [
              [
                { kind: 'file', path: '/c', size: 0, fill: 'x' },
                { kind: 'hardlink', path: '/c/a', target: '/c' },
              ],
              [{ kind: 'file', path: '/c/a', size: 0, fill: 'x' }],
              [],
            ],
          ],
          // Found by a random run: a hard link written over the directory its target is in. The
          // reader shared the target's hash with the link; the merge had removed the target first.
          [
            [
              [{ kind: 'file', path: '/b', size: 0, fill: 'x' }],
              [
                { kind: 'file', path: '/b/a', size: 0, fill: 'x' },
                { kind: 'hardlink', path: '/b', target: '/b/a' },
              ],
              [],
            ],
          ],
        ],
      },
    );
  });
});
