import { describe, expect, it } from 'vitest';
import { buildAnalysis } from '../../../src/analysis/index.js';
import { alignLayers, diffAnalyses, directoryAt, stepKey, type DiffSide } from '../../../src/diff/index.js';
import { findProblems, NO_RULE_SETTINGS } from '../../../src/findings/index.js';
import { EntryTable, type LayerContents } from '../../../src/model/index.js';
import { layer } from '../../helpers/layer-contents.js';

/** An analysis of layers with the given steps; a layer's diffID is its step plus a version tag. */
function image(steps: [string, LayerContents, string?][], user = ''): DiffSide {
  const analysis = buildAnalysis({
    image: { reference: 'x', source: 'docker-archive', digest: null, id: null, platform: null, user },
    config: { history: steps.map(([createdBy]) => ({ created_by: createdBy })) },
    layers: steps.map(([createdBy, , version]) => ({
      diffId: `sha256:${createdBy}${version ?? ''}`,
      digest: null,
    })),
    contents: steps.map(([, contents]) => contents),
  });
  return { analysis, findings: findProblems(analysis, NO_RULE_SETTINGS) };
}

const base: [string, LayerContents] = [
  '/bin/sh -c #(nop) ADD file:base in /',
  layer(['file', '/bin/sh', 1000]),
];

describe('diffAnalyses', () => {
  it('finds nothing between identical images', () => {
    const a = image([base, ['/bin/sh -c apt-get install -y curl', layer(['file', '/usr/bin/curl', 300])]]);
    const diff = diffAnalyses(a, a, { depth: 2 });
    expect(diff.layers).toMatchObject({
      sharedPrefixLayers: 2,
      sharedPrefixBytes: 1300,
      firstDivergence: null,
      rows: [],
      rebuildCascade: null,
    });
    expect(diff.files).toMatchObject({ added: 0, removed: 0, modified: 0, changes: [] });
    expect(diff.summary.sizeBytes).toEqual({ before: 1300, after: 1300, delta: 0, percent: 0 });
  });

  it('reports an added layer after the shared base', () => {
    const before = image([base]);
    const after = image([base, ['RUN /bin/sh -c echo hi > /hi # buildkit', layer(['file', '/hi', 3])]]);
    const diff = diffAnalyses(before, after, { depth: 1 });
    expect(diff.layers.firstDivergence).toBe(1);
    expect(diff.layers.rows).toEqual([
      {
        status: 'added',
        beforeIndex: null,
        afterIndex: 1,
        createdBy: 'RUN /bin/sh -c echo hi > /hi # buildkit',
        beforeSizeBytes: null,
        afterSizeBytes: 3,
      },
    ]);
    expect(diff.summary.sizeBytes).toEqual({ before: 1000, after: 1003, delta: 3, percent: 0.003 });
    expect(diff.files.changes).toEqual([
      { path: '/hi', kind: 'added', beforeSizeBytes: null, afterSizeBytes: 3, changed: [] },
    ]);
  });

  it('sees a rebuilt base as changed from the first layer on', () => {
    const before = image([base, ['/bin/sh -c make', layer(['file', '/app', 50])]]);
    const after = image([
      [base[0], layer(['file', '/bin/sh', 1200]), 'v2'],
      ['/bin/sh -c make', layer(['file', '/app', 50]), 'v2'],
    ]);
    const diff = diffAnalyses(before, after, { depth: 1 });
    expect(diff.layers.sharedPrefixLayers).toBe(0);
    expect(diff.layers.firstDivergence).toBe(0);
    expect(diff.layers.rows.map((row) => row.status)).toEqual(['changed', 'changed']);
  });

  it('tells content, mode-only and owner-only modifications and removals apart', () => {
    const before = image([
      base,
      [
        '/bin/sh -c build',
        layer(
          ['file', '/app/a', 10, 'A'],
          ['file', '/app/b', 20, 'B', 0o644],
          ['file', '/app/c', 30, 'C'],
          ['file', '/app/gone', 40],
        ),
      ],
    ]);
    const afterContents = layer(
      ['file', '/app/a', 12, 'A2'],
      ['file', '/app/b', 20, 'B', 0o755],
      ['file', '/app/c', 30, 'C'],
    );
    afterContents.entries = EntryTable.from(
      [...afterContents.entries].map((entry) => (entry.path === '/app/c' ? { ...entry, uid: 10001 } : entry)),
    );
    const after = image([base, ['/bin/sh -c build', afterContents, 'v2']]);
    const diff = diffAnalyses(before, after, { depth: 1 });
    expect(diff.files.changes).toEqual([
      { path: '/app/gone', kind: 'removed', beforeSizeBytes: 40, afterSizeBytes: null, changed: [] },
      { path: '/app/c', kind: 'modified', beforeSizeBytes: 30, afterSizeBytes: 30, changed: ['owner'] },
      { path: '/app/b', kind: 'modified', beforeSizeBytes: 20, afterSizeBytes: 20, changed: ['mode'] },
      {
        path: '/app/a',
        kind: 'modified',
        beforeSizeBytes: 10,
        afterSizeBytes: 12,
        changed: ['content', 'size'],
      },
    ]);
    expect(diff.files.directories).toEqual([
      { path: '/app', deltaBytes: -38, added: 0, removed: 1, modified: 3 },
    ]);
    expect(diff.layers.rows.map((row) => row.status)).toEqual(['changed']);

    // Keeping the two largest changes (and none) leaves every count and total as it was.
    for (const keep of [2, 0]) {
      const kept = diffAnalyses(before, after, { depth: 1, keepChanges: keep });
      expect(kept.files).toEqual({ ...diff.files, changes: diff.files.changes.slice(0, keep) });
    }
  });

  it('names a cheap early change that forced expensive unchanged steps to rebuild', () => {
    const before = image([
      base,
      ['/bin/sh -c #(nop) COPY dir:' + 'a'.repeat(64) + ' in /app', layer(['file', '/app/index.js', 100])],
      ['/bin/sh -c npm ci', layer(['file', '/app/node_modules/x.js', 5000])],
    ]);
    const after = image([
      base,
      ['/bin/sh -c #(nop) COPY dir:' + 'b'.repeat(64) + ' in /app', layer(['file', '/app/index.js', 101])],
      ['/bin/sh -c npm ci', layer(['file', '/app/node_modules/x.js', 5000]), 'rebuilt'],
    ]);
    const diff = diffAnalyses(before, after, { depth: 2 });
    expect(diff.layers.rows.map((row) => row.status)).toEqual(['changed', 'changed']);
    expect(diff.layers.rebuildCascade).toEqual({
      changedCommand: '/bin/sh -c #(nop) COPY dir:' + 'b'.repeat(64) + ' in /app',
      changedBytes: 101,
      rebuiltLayers: 1,
      rebuiltBytes: 5000,
    });
    // Same files, same content: the rebuild changed nothing a user would see.
    expect(diff.files.changes.map((change) => change.path)).toEqual(['/app/index.js']);
  });
});

describe('findings between builds', () => {
  it('names the findings a change fixed, introduced and left', () => {
    const apt = '/bin/sh -c apt-get update && apt-get install -y curl';
    const before = image([
      base,
      [apt, layer(['file', '/usr/bin/curl', 300], ['file', '/var/lib/apt/lists/deb.example_Packages', 9000])],
    ]);
    const after = image(
      [
        base,
        [apt, layer(['file', '/usr/bin/curl', 300]), 'v2'],
        ['/bin/sh -c rm -rf /tmp/x', layer(['file', '/tmp/big.log', 50_000])],
      ],
      '10001:10001',
    );
    const { findings } = diffAnalyses(before, after, { depth: 1 });
    expect(findings.fixed.map((f) => f.id).sort()).toEqual(['apt-lists-left', 'runs-as-root']);
    // Two RUNs in a row now: many-small-layers is new too.
    expect(findings.introduced.map((f) => f.id)).toEqual(['temp-files-left', 'many-small-layers']);
    expect(findings.unchanged.map((f) => f.id)).toEqual(['apt-install-recommends']);
    expect(findings.predictedSavingsBytes).toBe(before.findings.summary.potentialSavingsBytes);
  });
});

describe('layer alignment helpers', () => {
  it('writes a step the same way for the classic builder and BuildKit', () => {
    expect(stepKey('/bin/sh -c apt-get update')).toBe('RUN apt-get update');
    expect(stepKey('RUN /bin/sh -c apt-get update # buildkit')).toBe('RUN apt-get update');
    expect(stepKey('/bin/bash -o pipefail -c apt-get update')).toBe('RUN apt-get update');
    // COPY/ADD by destination: classic history names the sources by hash, BuildKit by name.
    expect(stepKey('/bin/sh -c #(nop)  COPY file:' + 'c'.repeat(64) + ' in /x')).toBe('COPY /x');
    expect(stepKey('COPY . /app # buildkit')).toBe('COPY /app');
  });

  it('keeps one step across rebuilds with other build-arg values', () => {
    expect(stepKey('|1 VERSION=1.2 /bin/sh -c make')).toBe(
      stepKey('RUN |1 VERSION=1.3 /bin/sh -c make # buildkit'),
    );
  });

  it('matches steps by their longest common subsequence', () => {
    const reports = (steps: string[]) =>
      image(steps.map((s) => [s, layer(['file', `/${s}`, 1])])).analysis.layers;
    const rows = alignLayers(reports(['a', 'b', 'c']), reports(['a', 'x', 'c'])).rows;
    // "a" is the shared base, so the rows start after it.
    expect(rows.map((row) => [row.status, row.createdBy])).toEqual([
      ['added', 'x'],
      ['removed', 'b'],
      ['unchanged', 'c'],
    ]);
  });

  it('totals directories at a depth', () => {
    expect(directoryAt('/usr/lib/x/y.so', 2)).toBe('/usr/lib');
    expect(directoryAt('/top', 2)).toBe('/');
  });
});
