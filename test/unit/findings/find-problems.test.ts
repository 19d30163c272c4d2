import { describe, expect, it } from 'vitest';
import { buildAnalysis } from '../../../src/analysis/index.js';
import { describeRules, findProblems, RULES } from '../../../src/findings/index.js';
import type { Analysis, LayerContents } from '../../../src/model/index.js';
import { layer } from '../../helpers/layer-contents.js';

/** An analysis from terse layer contents, one history entry per layer. */
function analysisOf(layers: [string, LayerContents][], user = ''): Analysis {
  return buildAnalysis({
    image: { reference: 'test', source: 'oci-layout', digest: null, id: null, platform: null, user },
    config: {
      config: { User: user },
      history: layers.map(([createdBy]) => ({ created_by: createdBy })),
    },
    layers: layers.map(() => ({ diffId: null, digest: null })),
    contents: layers.map(([, contents]) => contents),
  });
}

const image = analysisOf([
  ['/bin/sh -c #(nop) ADD file:01 in / ', layer(['file', '/bin/sh', 100])],
  [
    '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl',
    layer(['file', '/var/lib/apt/lists/a_Packages', 3000], ['file', '/usr/bin/curl', 700]),
  ],
  ['/bin/sh -c #(nop) COPY file:02 in /tmp/app.tar.gz ', layer(['file', '/tmp/app.tar.gz', 5000])],
  [
    '/bin/sh -c tar -xzf /tmp/app.tar.gz -C /opt',
    layer(['file', '/opt/app', 9000], ['file', '/root/.ssh/id_rsa', 400]),
  ],
]);

describe('findProblems', () => {
  it('ranks by severity, then bytes saved, and counts every claimed byte once', () => {
    const report = findProblems(image);
    expect(report.findings.map((f) => [f.id, f.severity, f.wastedBytes])).toEqual([
      ['secrets-in-image', 'error', 0],
      ['archive-extracted-later', 'warning', 5000],
      ['temp-files-left', 'warning', 5000],
      ['apt-lists-left', 'warning', 3000],
      ['runs-as-root', 'warning', 0],
    ]);
    // The archive is claimed by two findings: its 5000 bytes count once.
    expect(report.summary).toEqual({
      potentialSavingsBytes: 8000,
      findingCounts: { error: 1, warning: 4, info: 0 },
    });
  });

  it('leaves to the general rule only the bytes no specific finding explains', () => {
    const cleanup = analysisOf(
      [
        ['/bin/sh -c #(nop) ADD file:0123abcd in / ', layer(['file', '/bin/sh', 100])],
        [
          '/bin/sh -c apt-get update',
          layer(['file', '/var/lib/apt/lists/a', 3000], ['file', '/opt/installer.run', 800]),
        ],
        [
          '/bin/sh -c rm -rf /var/lib/apt/lists/* /opt/installer.run',
          layer(['whiteout', '/var/lib/apt/lists/a'], ['whiteout', '/opt/installer.run']),
        ],
      ],
      '10001',
    );
    const report = findProblems(cleanup);
    expect(report.findings.map((f) => [f.id, f.wastedBytes, f.message])).toEqual([
      [
        'apt-lists-left',
        3000,
        '1 file of apt package lists (3,000 bytes) written by layer 1; layer 2 removed them, but the bytes are still stored in layer 1.',
      ],
      [
        'deleted-in-later-layer',
        800,
        '1 file (800 bytes) stored by layer 1 and deleted by layer 2: they are still in the image.',
      ],
      ['many-small-layers', 0, 'Layers 1 to 2 are 2 consecutive RUN instructions.'],
    ]);
    expect(report.summary.potentialSavingsBytes).toBe(3800);
  });

  it('drops disabled rules and re-grades others', () => {
    const report = findProblems(image, {
      disabled: new Set(['temp-files-left', 'secrets-in-image']),
      severity: new Map([['apt-lists-left', 'error']]),
    });
    expect(report.findings.map((f) => [f.id, f.severity])).toEqual([
      ['apt-lists-left', 'error'],
      ['archive-extracted-later', 'warning'],
      ['runs-as-root', 'warning'],
    ]);
    expect(report.summary.potentialSavingsBytes).toBe(8000);
    expect(report.summary.findingCounts).toEqual({ error: 1, warning: 2, info: 0 });
  });

  it('lists the paths of a finding largest first, and counts the rest', () => {
    const many = analysisOf(
      [
        [
          '/bin/sh -c apt-get update',
          layer(
            ...[1, 2, 3, 4, 5, 6, 7].map((n): ['file', string, number] => [
              'file',
              `/var/lib/apt/lists/l${n}`,
              n * 10,
            ]),
          ),
        ],
      ],
      '10001',
    );
    const [finding] = findProblems(many).findings.filter((f) => f.id === 'apt-lists-left');
    expect(finding?.paths.map((p) => p.sizeBytes)).toEqual([70, 60, 50, 40, 30]);
    expect(finding?.pathsOmitted).toBe(2);
    expect(finding?.wastedBytes).toBe(280);
  });
});

describe('rule registry', () => {
  it('has unique kebab-case ids, a severity, a title and a description for every rule', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(['error', 'warning', 'info']).toContain(rule.severity);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.description.length).toBeGreaterThan(20);
      for (const related of rule.related)
        expect(related).toMatch(/^(?:hadolint DL\d{4}|dockle (?:CIS-DI|DKL-DI|DKL-LI)-\d{4})$/);
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        'apt-lists-left',
        'apt-archives-left',
        'apk-cache-left',
        'dnf-yum-cache-left',
        'pip-cache-left',
        'npm-cache-left',
        'apt-install-recommends',
        'deleted-in-later-layer',
        'chown-duplicate',
        'chmod-duplicate',
        'archive-extracted-later',
        'runs-as-root',
        'non-numeric-user',
        'secrets-in-image',
        'build-tools-shipped',
        'temp-files-left',
        'many-small-layers',
        'large-base-image',
      ]),
    );
  });

  it('describes rules with the settings severities', () => {
    const info = describeRules({ disabled: new Set(), severity: new Map([['runs-as-root', 'error']]) });
    expect(info.find((rule) => rule.id === 'runs-as-root')).toEqual({
      id: 'runs-as-root',
      severity: 'error',
      title: 'Container runs as root',
      description: 'The image config sets no user, or root: `User` empty, `root`, `0`, `root:*` or `0:*`.',
      related: ['hadolint DL3002', 'dockle CIS-DI-0001'],
    });
  });
});
