import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIVE_FIXTURES } from '../helpers/gate-fixtures.js';
import { runCli } from '../helpers/run-cli.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { cleanupTempDirs, tempDir } from '../helpers/temp.js';

// Runs the built CLI (npm run build first), as a CI job would.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IMAGE = path.join(DIVE_FIXTURES, 'test-docker-image.tar');
const DIVE_EXAMPLE =
  'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.5\n';

let work: string;

/** A fresh directory under the test's temp dir, optionally with files in it. */
function dir(name: string, files: Record<string, string> = {}): string {
  const d = path.join(work, name);
  mkdirSync(d, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(d, file), text);
  return d;
}

function gateLines(stdout: string): string[] {
  return stdout.slice(stdout.indexOf('Gate')).trimEnd().split('\n');
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'commands', 'analyze.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the integration tests');
  }
  work = await tempDir('imgscope-gate-');
});

afterAll(cleanupTempDirs);

describe('imgscope analyze --ci', () => {
  it("without any config is dive's gate: defaults 0.9, disabled, 0.1 -> FAIL, exit 1", async () => {
    const run = await runCli(['analyze', IMAGE, '--ci'], {}, { cwd: dir('defaults') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(gateLines(run.stdout)).toEqual([
      'Gate:',
      '  PASS  lowestEfficiency          image efficiency 0.9844 (98.44%) is within the threshold 0.9 (90.00%)',
      '  SKIP  highestWastedBytes        rule disabled',
      '  FAIL  highestUserWastedPercent  wasted share of user bytes 0.4835 (48.35%) is above the threshold 0.1 (10.00%)',
      'Result:FAIL [Total:3] [Passed:1] [Failed:1] [Warn:0] [Skipped:1]',
    ]);
  });

  it("reads ./.dive-ci with dive's example rules: all PASS, exit 0", async () => {
    const run = await runCli(
      ['analyze', IMAGE, '--ci'],
      {},
      { cwd: dir('dive-ci', { '.dive-ci': DIVE_EXAMPLE }) },
    );
    expect(run.code).toBe(0);
    expect(gateLines(run.stdout)[0]).toBe('Gate (config: .dive-ci):');
    expect(run.stdout).toContain('Result:PASS [Total:3] [Passed:3] [Failed:0] [Warn:0] [Skipped:0]');
  });

  it('lets flags override the file, in dive and kebab-case spellings', async () => {
    const cwd = dir('override', { '.dive-ci': DIVE_EXAMPLE });
    const camel = await runCli(['analyze', IMAGE, '--ci', '--highestUserWastedPercent', '0.48'], {}, { cwd });
    expect(camel.code).toBe(1);
    expect(camel.stdout).toMatch(/FAIL {2}highestUserWastedPercent/);
    const kebab = await runCli(['analyze', IMAGE, '--ci', '--highest-wasted-bytes=32024'], {}, { cwd });
    expect(kebab.code).toBe(1);
    expect(kebab.stdout).toMatch(/FAIL {2}highestWastedBytes .*above the threshold 32024 bytes/);
    const off = await runCli(
      ['analyze', IMAGE, '--ci', '--lowestEfficiency', 'off', '--highestWastedBytes', '32025'],
      {},
      { cwd },
    );
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/SKIP {2}lowestEfficiency/);
  });

  it('reads --ci-config FILE and --config FILE, and finds .imgscope.yml in a parent directory', async () => {
    const cwd = dir('explicit', { 'dive.yml': DIVE_EXAMPLE, 'budget.yml': 'rules:\n  maxLayers: 13\n' });
    const both = await runCli(
      ['analyze', IMAGE, '--ci', '--ci-config', 'dive.yml', '--config', 'budget.yml'],
      {},
      { cwd },
    );
    expect(both.code).toBe(1);
    expect(both.stdout).toContain('Gate (config: dive.yml, budget.yml):');
    expect(both.stdout).toMatch(/FAIL {2}maxLayers +layer count 14 is above the threshold 13/);

    const parent = dir('project', {
      '.imgscope.yml': 'rules:\n  highestUserWastedPercent: 0.5\n  maxImageSize: 2MB\n',
    });
    const child = path.join(parent, 'sub', 'dir');
    mkdirSync(child, { recursive: true });
    const found = await runCli(['analyze', IMAGE, '--ci'], {}, { cwd: child });
    expect(found.code).toBe(0);
    expect(found.stdout).toContain(`Gate (config: ${path.join('..', '..', '.imgscope.yml')}):`);
    expect(found.stdout).toMatch(/PASS {2}maxImageSize/);
  });

  it('exits 2 with every configuration problem at once, before analysing', async () => {
    const cwd = dir('invalid', {
      '.dive-ci': 'rules:\n  lowestEfficiency: 1.5\n',
      '.imgscope.yml': 'rules:\n  maxLayer: 3\n  maxImageSize: 20 XB\nfindings:\n  failOn: sometimes\n',
    });
    const run = await runCli(
      ['analyze', path.join(work, 'does-not-exist.tar'), '--ci', '--max-layers', 'ten'],
      {},
      { cwd },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'imgscope: error: invalid gate configuration (5 problems; docs/ci.md describes every key):',
    );
    expect(lines.slice(1, 6)).toEqual([
      '  .dive-ci:2: rules.lowestEfficiency: 1.5 is outside the allowed range 0..1 (a fraction: 0.1 means 10%)',
      '  .imgscope.yml:2: rules.maxLayer: unknown rule (did you mean maxLayers?); known: lowestEfficiency, highestWastedBytes, highestUserWastedPercent, maxImageSize, maxCompressedSize, maxLayerSize, maxLayers, maxReclaimableBytes, maxReclaimablePercent',
      '  .imgscope.yml:3: rules.maxImageSize: "20 XB" has an unknown size unit "xb" (use B, kB, MB, GB, TB or KiB, MiB, GiB, TiB)',
      '  .imgscope.yml:5: findings.failOn: "sometimes" is not one of error, warning, info, never',
      '  --max-layers: maxLayers: "ten" is not a whole number of layers (or disabled/off/false)',
    ]);
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits 2 for a missing --config file, gate flags without --ci, and a bad image', async () => {
    const cwd = dir('usage');
    const missing = await runCli(['analyze', IMAGE, '--ci', '--config', 'nope.yml'], {}, { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'imgscope: error: --config nope.yml: no such file (check the path given to --config)\n',
    );
    const noCi = await runCli(['analyze', IMAGE, '--highestWastedBytes', '1MB'], {}, { cwd });
    expect(noCi.code).toBe(2);
    expect(noCi.stderr).toContain('--highestWastedBytes only work with --ci');
    const notImage = await runCli(
      ['analyze', path.join(DIVE_FIXTURES, 'not-an-image.tar'), '--ci'],
      {},
      { cwd },
    );
    expect(notImage.code).toBe(2);
    expect(notImage.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('adds a gate object to --format json, with the same exit code', async () => {
    const run = await runCli(['analyze', IMAGE, '--ci', '--format', 'json'], {}, { cwd: dir('json') });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      schemaVersion: number;
      efficiency: { score: number };
      gate: {
        passed: boolean;
        rules: { id: string; status: string; value: number; threshold: number | null; message: string }[];
      };
    };
    expect(report.schemaVersion).toBe(1);
    expect(report.efficiency.score).toBe(0.9844212134184309);
    expect(report.gate.passed).toBe(false);
    expect(report.gate.rules.map((r) => [r.id, r.status, r.value, r.threshold])).toEqual([
      ['lowestEfficiency', 'PASS', 0.9844212134184309, 0.9],
      ['highestWastedBytes', 'SKIP', 32025, null],
      ['highestUserWastedPercent', 'FAIL', 0.4834911001404049, 0.1],
    ]);
    expect(report.gate.rules[2]?.message).toContain('above the threshold');
    const passing = await runCli(
      ['analyze', IMAGE, '--ci', '--json'],
      {},
      { cwd: dir('json-pass', { '.dive-ci': DIVE_EXAMPLE }) },
    );
    expect(passing.code).toBe(0);
    expect((JSON.parse(passing.stdout) as { gate: { passed: boolean } }).gate.passed).toBe(true);
  });

  it('writes JUnit, SARIF and Markdown reports, the GitHub step summary and annotations', async () => {
    const cwd = dir('reports');
    const summary = path.join(cwd, 'summary.md');
    writeFileSync(summary, '# Earlier step\n');
    const run = await runCli(
      [
        'analyze',
        IMAGE,
        '--ci',
        '--junit',
        'out/gate.xml',
        '--sarif',
        'out/gate.sarif',
        '--markdown',
        'out/gate.md',
      ],
      { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' },
      { cwd },
    );
    expect(run.code).toBe(1);

    const xml = readFileSync(path.join(cwd, 'out/gate.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
      testsuites: { '@_tests': string; '@_failures': string; '@_skipped': string };
    };
    expect(junit.testsuites).toMatchObject({ '@_tests': '3', '@_failures': '1', '@_skipped': '1' });

    const sarif = JSON.parse(readFileSync(path.join(cwd, 'out/gate.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string; level: string }[] }[];
    };
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(sarif.version).toBe('2.1.0');
    // Every finding is a result (none is an error, so none gates), then the failed rule. The
    // 6.4 kB size findings are notes: below 1 % of the 1.2 MB image.
    expect(sarif.runs[0]?.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['runs-as-root', 'warning'],
      ['chmod-duplicate', 'note'],
      ['chmod-duplicate', 'note'],
      ['deleted-in-later-layer', 'note'],
      ['deleted-in-later-layer', 'note'],
      ['deleted-in-later-layer', 'note'],
      ['temp-files-left', 'note'],
      ['many-small-layers', 'note'],
      ['many-small-layers', 'note'],
      ['gate/highestUserWastedPercent', 'error'],
    ]);

    const markdown = readFileSync(path.join(cwd, 'out/gate.md'), 'utf8');
    expect(markdown).toContain('## imgscope gate: ❌ failed');
    expect(readFileSync(summary, 'utf8')).toBe(`# Earlier step\n${markdown}\n`);

    expect(run.stderr).toBe(
      `::error title=imgscope highestUserWastedPercent::${IMAGE}: wasted share of user bytes 0.4835 (48.35%25) is above the threshold 0.1 (10.00%25)\n`,
    );
  });

  it('does not touch the step summary or print annotations without --ci', async () => {
    const cwd = dir('no-ci');
    const summary = path.join(cwd, 'summary.md');
    const run = await runCli(
      ['analyze', IMAGE, '--json'],
      { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' },
      { cwd },
    );
    expect(run.code).toBe(0);
    expect(existsSync(summary)).toBe(false);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as Record<string, unknown>)['gate']).toBeUndefined();
  });
});
