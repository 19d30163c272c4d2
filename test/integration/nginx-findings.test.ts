// Issue 12's acceptance on nginx images built as the issue describes (test/helpers/nginx-images.ts):
// the optimised build has nothing at warning or above, the wasteful one keeps every true finding.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../helpers/image-builder.js';
import { optimisedNginx, wastefulNginx } from '../helpers/nginx-images.js';
import { analyzeJson, runCli } from '../helpers/run-cli.js';

afterAll(cleanupTempDirs);

interface JsonFinding {
  id: string;
  severity: string;
  layerIndex: number | null;
  wastedBytes: number;
  advice: { text: string };
}

async function findingsOf(file: string): Promise<JsonFinding[]> {
  return (await analyzeJson<{ findings: JsonFinding[] }>([file])).findings;
}

const row = (f: JsonFinding) => [f.id, f.severity, f.layerIndex, f.wastedBytes];

describe('findings on a well-built and a wasteful nginx image', async () => {
  const dir = await tempDir();
  const optimised = join(dir, 'optimised.tar');
  const wasteful = join(dir, 'wasteful.tar');
  await writeDockerArchive(optimisedNginx('classic'), optimised);
  await writeDockerArchive(wastefulNginx('classic'), wasteful);

  it('reports nothing at warning or above on the optimised build', async () => {
    // Not iproute2's lone header, not the rewritten /etc/passwd and /etc/pam.d, and the 615-byte
    // index.nginx-debian.html the last RUN replaced is a note: far below 1 % of the image.
    expect((await findingsOf(optimised)).map(row)).toEqual([
      ['deleted-in-later-layer', 'info', 1, 615],
      ['many-small-layers', 'info', 1, 0],
    ]);
  });

  it('keeps every true finding of the wasteful build, with its bytes, and says which step to merge into which', async () => {
    const findings = await findingsOf(wasteful);
    expect(findings.map(row)).toEqual([
      ['apt-lists-left', 'warning', 1, 1_550_000],
      ['apt-archives-left', 'warning', 1, 1_300_000],
      ['deleted-in-later-layer', 'warning', 5, 400_000],
      ['chown-duplicate', 'warning', 4, 204_000],
      ['apt-install-recommends', 'warning', 1, 0],
      ['non-numeric-user', 'warning', null, 0],
      ['deleted-in-later-layer', 'info', 1, 615],
      ['many-small-layers', 'info', 1, 0],
      ['many-small-layers', 'info', 4, 0],
    ]);
    expect(findings[2]?.advice.text).toBe(
      'Merge layer 6 (RUN cp /opt/assets.bin /var/www/html/ && rm /opt/assets.bin…) into layer 5 (RUN curl -fsSL -o /opt/assets.bin https://assets.example.in…): one RUN that creates and removes the files, so they never reach a layer.',
    );
  });

  it('diffs the wasteful build and its BuildKit fix: every finding fixed or unchanged, none introduced', async () => {
    const fixedBuildKit = join(dir, 'optimised-buildkit.tar');
    await writeDockerArchive(optimisedNginx('buildkit'), fixedBuildKit);
    const result = await runCli(['diff', wasteful, fixedBuildKit, '--json']);
    expect(result.code).toBe(0);
    const { findings } = JSON.parse(result.stdout) as {
      findings: Record<'fixed' | 'introduced' | 'unchanged', { id: string; wastedBytes: number }[]>;
    };
    expect(findings.introduced).toEqual([]);
    expect(findings.fixed.map((f) => [f.id, f.wastedBytes])).toEqual([
      ['apt-lists-left', 1_550_000],
      ['apt-archives-left', 1_300_000],
      ['deleted-in-later-layer', 400_000],
      ['chown-duplicate', 204_000],
      ['apt-install-recommends', 0],
      ['non-numeric-user', 0],
      ['many-small-layers', 0],
    ]);
    // The same 615-byte file and a RUN pair in both builds, though every RUN line was edited.
    expect(findings.unchanged.map((f) => [f.id, f.wastedBytes])).toEqual([
      ['deleted-in-later-layer', 615],
      ['many-small-layers', 0],
    ]);
  });

  it('gives one fix per step: the three apt findings share one RUN, shown once in table, JSON and Markdown (golden)', async () => {
    // Run beside the image so reports name it as `wasteful.tar` whatever the temp directory.
    const json = await runCli(['analyze', 'wasteful.tar', '--json'], {}, { cwd: dir });
    const report = JSON.parse(json.stdout) as {
      findings: JsonFinding[];
      fixes: { findings: { id: string; index: number }[]; after: string; savingsBytes: number }[];
    };
    const [apt] = report.fixes;
    expect(
      apt?.findings.map((f) => [f.id, report.findings[f.index]?.id, report.findings[f.index]?.layerIndex]),
    ).toEqual([
      ['apt-lists-left', 'apt-lists-left', 1],
      ['apt-archives-left', 'apt-archives-left', 1],
      ['apt-install-recommends', 'apt-install-recommends', 1],
    ]);
    expect(apt?.savingsBytes).toBe(1_550_000 + 1_300_000);
    await expect(`${JSON.stringify(report.fixes, null, 2)}\n`).toMatchFileSnapshot(
      '../golden/nginx-wasteful-fixes.json',
    );

    const table = await runCli(['analyze', 'wasteful.tar'], {}, { cwd: dir });
    const fixes = table.stdout.slice(table.stdout.indexOf('Dockerfile fixes'));
    expect(fixes.split('\n').filter((line) => line.includes('--no-install-recommends nginx'))).toHaveLength(
      // Fix 1's own RUN, and the two merges that begin with that RUN (their first line).
      3,
    );
    await expect(fixes).toMatchFileSnapshot('../golden/nginx-wasteful-fixes.txt');

    const gate = join(dir, 'gate.md');
    const ci = await runCli(
      [
        'analyze',
        'wasteful.tar',
        '--ci',
        '--fail-on',
        'warning',
        '--lowestEfficiency',
        'off',
        '--highestUserWastedPercent',
        'off',
        '--markdown',
        gate,
      ],
      {},
      { cwd: dir },
    );
    expect(ci.code).toBe(1);
    const markdown = await readFile(gate, 'utf8');
    expect(markdown).toContain(
      '- One change for **apt-lists-left**, **apt-archives-left**, **apt-install-recommends**:',
    );
    await expect(markdown).toMatchFileSnapshot('../golden/nginx-wasteful-gate.md');
  });
});
