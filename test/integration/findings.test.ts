import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleSpecs } from '../../fixtures/make-example.js';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../helpers/image-builder.js';
import { FIXTURES, analyzeJson, expectOneLineError, fixturesCwd, runCli } from '../helpers/run-cli.js';
import { PLANTED, SECRET_IMAGE } from '../helpers/secret-image.js';

const EXAMPLE = `${FIXTURES}example.tar`;
const OPTIMIZED = `${FIXTURES}example-optimized.tar`;

afterAll(cleanupTempDirs);

interface JsonFinding {
  id: string;
  severity: string;
  layerIndex: number | null;
  wastedBytes: number;
  advice: { text: string; dockerfile?: { before: string; after: string } };
}

interface Report {
  findings: JsonFinding[];
  summary: { potentialSavingsBytes: number; findingCounts: Record<string, number> };
}

describe('findings of the bundled example', async () => {
  const { facts } = await exampleSpecs();

  it('shows the problems the example was built with, with their exact bytes', async () => {
    const report = await analyzeJson<Report>([EXAMPLE]);
    expect(report.findings.map((f) => [f.id, f.layerIndex, f.wastedBytes])).toEqual([
      ['apt-lists-left', 1, facts.aptListsBytes],
      ['archive-extracted-later', 6, facts.deletedTempFileBytes],
      ['pip-cache-left', 3, facts.pipCacheBytes],
      ['apt-archives-left', 1, facts.aptCacheBytes],
      ['build-tools-shipped', 1, facts.compilerBytes],
      ['chmod-duplicate', 5, facts.chmodDuplicatedBytes],
      ['apt-install-recommends', 1, 0],
      ['runs-as-root', null, 0],
    ]);
    // The same figures as numbers, so a change in the generator shows up here too.
    expect([
      facts.aptListsBytes,
      facts.deletedTempFileBytes,
      facts.pipCacheBytes,
      facts.aptCacheBytes,
      facts.compilerBytes,
      facts.chmodDuplicatedBytes,
    ]).toEqual([24200, 17267, 11912, 11500, 10000, 7487]);
    expect(report.summary).toEqual({
      potentialSavingsBytes: 24200 + 17267 + 11912 + 11500 + 10000 + 7487,
      findingCounts: { error: 0, warning: 8, info: 0 },
    });
    const apt = report.findings.find((f) => f.id === 'apt-install-recommends');
    expect(apt?.advice.dockerfile).toEqual({
      before: 'RUN apt-get update && apt-get install -y curl python3 python3-pip',
      after:
        'RUN apt-get update && apt-get install -y --no-install-recommends curl python3 python3-pip && apt-get clean && rm -rf /var/lib/apt/lists/*',
    });
    expect(report.findings.find((f) => f.id === 'pip-cache-left')?.advice.dockerfile?.after).toBe(
      'RUN pip install --no-cache-dir --break-system-packages -r requirements.txt',
    );
  });

  it('keeps the history and config findings with --no-layers (nothing read, nothing claimed)', async () => {
    const report = await analyzeJson<Report>([EXAMPLE, '--no-layers']);
    expect(report.findings.map((f) => [f.id, f.wastedBytes])).toEqual([
      ['apt-install-recommends', 0],
      ['runs-as-root', 0],
    ]);
    expect(report.summary.potentialSavingsBytes).toBe(0);
  });

  it('finds nothing in the optimized rebuild', async () => {
    const report = await analyzeJson<Report>([OPTIMIZED]);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({
      potentialSavingsBytes: 0,
      findingCounts: { error: 0, warning: 0, info: 0 },
    });
  });

  it('prints a Findings section, most valuable first, with the Dockerfile change', async () => {
    const result = await runCli(['analyze', EXAMPLE]);
    expect(result.code).toBe(0);
    const section = result.stdout.slice(result.stdout.indexOf('\nFindings'));
    expect(section).toContain('Findings (8 warning; potential savings 82.4 kB)');
    expect(section).toContain(
      ' 1. [warning] apt package lists left in the image — saves 24.2 kB (layer 1)  apt-lists-left',
    );
    expect(section).toContain('    - RUN pip install --break-system-packages -r requirements.txt\n');
    expect(section).toContain(
      '    + RUN pip install --no-cache-dir --break-system-packages -r requirements.txt\n',
    );
    expect(section.indexOf('apt-lists-left')).toBeLessThan(section.indexOf('archive-extracted-later'));
  });

  it('skips rules given with --ignore, and refuses unknown rule ids', async () => {
    const report = await analyzeJson<Report>([
      EXAMPLE,
      '--ignore',
      'runs-as-root',
      '--ignore',
      'apt-lists-left',
    ]);
    expect(report.findings.map((f) => f.id)).not.toContain('runs-as-root');
    expect(report.findings.map((f) => f.id)).not.toContain('apt-lists-left');
    expect(report.summary.potentialSavingsBytes).toBe(17267 + 11912 + 11500 + 10000 + 7487);

    const bad = await runCli(['analyze', EXAMPLE, '--ignore', 'apt-list-left']);
    expect(bad.code).toBe(2);
    expect(expectOneLineError(bad)).toMatch(
      /^imgscope: error: unknown rule "apt-list-left" \(did you mean apt-lists-left\?\) \(known rules: .*apt-lists-left/,
    );
    const badRule = await runCli([
      'analyze',
      'fixtures/example.tar',
      '--ci',
      '--finding-rule',
      'secret-in-image=off',
    ]);
    expect(badRule.code).toBe(2);
    expect(badRule.stderr).toContain(
      '--finding-rule: findings.rules.secret-in-image: unknown finding rule (did you mean secrets-in-image?)',
    );
  });
});

describe('findings in the CI gate', () => {
  const diveOff = [
    '--lowestEfficiency',
    'off',
    '--highestUserWastedPercent',
    'off',
    '--highestWastedBytes',
    'off',
  ];

  it('fails on findings at --fail-on, with rules re-graded by --finding-rule in the report and the gate', async () => {
    const warnOnly = await runCli(['analyze', EXAMPLE, '--ci', '--json', '--fail-on', 'error', ...diveOff]);
    expect(warnOnly.code).toBe(0);
    expect(JSON.parse(warnOnly.stdout).gate.findings).toHaveLength(8);

    const regraded = await runCli([
      'analyze',
      EXAMPLE,
      '--ci',
      '--json',
      '--fail-on',
      'error',
      '--finding-rule',
      'apt-lists-left=error',
      '--finding-rule',
      'runs-as-root=off',
      ...diveOff,
    ]);
    expect(regraded.code).toBe(1);
    const report = JSON.parse(regraded.stdout) as {
      findings: JsonFinding[];
      gate: { findings: { id: string; status: string; wastedBytes: number }[] };
    };
    expect(report.findings[0]).toMatchObject({ id: 'apt-lists-left', severity: 'error', wastedBytes: 24200 });
    expect(report.findings.map((f) => f.id)).not.toContain('runs-as-root');
    expect(report.gate.findings.filter((f) => f.status === 'FAIL').map((f) => [f.id, f.wastedBytes])).toEqual(
      [['apt-lists-left', 24200]],
    );
  });
});

describe('secrets fail plain --ci', () => {
  it('exits 1 on a planted key and a secret ENV without any configuration, and every report names the finding', async () => {
    const dir = await tempDir();
    const archive = join(dir, 'secrets.tar');
    await writeDockerArchive(SECRET_IMAGE, archive);
    const summary = join(dir, 'summary.md');
    const out = (name: string) => join(dir, name);
    const run = await runCli(
      [
        'analyze',
        archive,
        '--ci',
        '--junit',
        out('gate.xml'),
        '--sarif',
        out('gate.sarif'),
        '--markdown',
        out('gate.md'),
      ],
      { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    );
    expect(run.code).toBe(1);
    const gate = run.stdout.slice(run.stdout.indexOf('Gate:'));
    expect(gate).toMatch(/FAIL {2}failOn +3 findings of severity error or worse: secrets-in-image$/m);
    expect(gate).toContain('FAIL  secrets-in-image (error, layer 1): Secret files');
    expect(gate).toContain('FAIL  secrets-in-image (error): Secrets in ENV');
    // Only failing findings are listed when nothing about findings is configured.
    expect(gate).not.toContain('WARN  ');
    const junit = readFileSync(out('gate.xml'), 'utf8');
    expect(junit).toMatch(/<testcase[^>]*name="secrets-in-image[^"]*"[^>]*>\s*<failure/);
    const sarif = JSON.parse(readFileSync(out('gate.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string; level: string }[] }[];
    };
    expect(sarif.runs[0]?.results.filter((r) => r.level === 'error').map((r) => r.ruleId)).toContain(
      'secrets-in-image',
    );
    const markdown = readFileSync(out('gate.md'), 'utf8');
    expect(markdown).toContain('❌ failed');
    expect(markdown).toMatch(/secrets-in-image/);
    expect(run.stderr).toMatch(/^::error title=imgscope secrets-in-image::.*Secret files \(layer 1\)/m);
    for (const text of [run.stdout, run.stderr, junit, markdown, JSON.stringify(sarif)]) {
      expect(text).not.toContain(PLANTED);
    }
  });

  it('passes plain --ci on the bundled optimised example: no error-level finding', async () => {
    const run = await runCli(
      ['analyze', 'fixtures/example-optimized.tar', '--ci'],
      {},
      { cwd: await fixturesCwd() },
    );
    expect(run.stdout).not.toContain('failOn');
    expect(run.stdout).not.toMatch(/\[error\]/);
  });
});

describe('secrets never reach the output', () => {
  it('reports where secrets are, in table and JSON, without any planted value', async () => {
    const archive = join(await tempDir(), 'secrets.tar');
    await writeDockerArchive(SECRET_IMAGE, archive);
    const table = await runCli(['analyze', archive]);
    const json = await runCli(['analyze', archive, '--json']);
    expect(table.code).toBe(0);
    expect(json.code).toBe(0);
    expect(table.stdout).toContain('[error] Secret files (layer 1)');
    expect(table.stdout).toContain('still extractable from layer 1');
    // Files, ENV, build arg (errors) and a dependency's test key (a warning).
    expect(
      JSON.parse(json.stdout)
        .findings.filter((f: JsonFinding) => f.id === 'secrets-in-image')
        .map((f: JsonFinding) => f.severity),
    ).toEqual(['error', 'error', 'error', 'warning']);
    for (const output of [table.stdout, table.stderr, json.stdout, json.stderr]) {
      expect(output).not.toContain(PLANTED);
    }
  });

  it('keeps them out of imgscope diff too', async () => {
    const archive = join(await tempDir(), 'secrets.tar');
    await writeDockerArchive(SECRET_IMAGE, archive);
    for (const format of [[], ['--json']]) {
      const result = await runCli(['diff', EXAMPLE, archive, ...format]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('npm ci');
      expect(result.stdout + result.stderr).not.toContain(PLANTED);
    }
  });
});

describe('imgscope rules', () => {
  it('lists every rule with severity and related linter ids, as a table and as JSON', async () => {
    const table = await runCli(['rules']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ apt-lists-left\s+│ warning\s+│ hadolint DL3009\s+│/);
    const json = await runCli(['rules', '--json']);
    const parsed = JSON.parse(json.stdout) as {
      schemaVersion: number;
      rules: { id: string; related: string[] }[];
    };
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.rules).toHaveLength(18);
    expect(parsed.rules.find((rule) => rule.id === 'secrets-in-image')?.related).toEqual([
      'dockle CIS-DI-0010',
    ]);
  });
});
