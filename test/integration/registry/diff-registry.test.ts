import { beforeAll, expect, it } from 'vitest';
import { type WrittenImage, noise } from '../../helpers/registry-images.js';
import { describeWithRegistry, useFaultProxy, useRegistryFixture } from '../../helpers/registry-suite.js';
import { expectOneLineError, runCli } from '../../helpers/run-cli.js';

describeWithRegistry('imgscope diff of two registry images', () => {
  const fixture = useRegistryFixture({ name: 'diff' });
  const proxy = useFaultProxy(fixture);
  let v1: WrittenImage;

  beforeAll(async () => {
    const base = { files: { 'bin/sh': noise(100_000, 11) } };
    v1 = await fixture.pushImage(
      'v1',
      { layers: [base, { files: { 'app/bin': noise(50_000, 12) } }] },
      'diff/app:1',
    );
    await fixture.pushImage(
      'v2',
      { user: '10001', layers: [base, { files: { 'app/bin': noise(80_000, 13) } }] },
      'diff/app:2',
    );
  });

  it('compares two tags and downloads the shared base layer once', async () => {
    const result = await runCli(
      ['diff', `${proxy.host}/diff/app:1`, `${proxy.host}/diff/app:2`, '--json', '--no-cache'],
      fixture.cliEnv(),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      before: { source: string };
      after: { source: string };
      summary: {
        sizeBytes: { before: number; after: number; delta: number };
        user: { before: string; after: string };
      };
      layers: { sharedPrefixLayers: number; firstDivergence: number | null; rows: { status: string }[] };
      files: { changes: { path: string; kind: string; changed: string[] }[] };
    };
    // Worked by hand: the same 100,000-byte base, /app/bin grown from 50,000 to 80,000 bytes.
    expect([report.before.source, report.after.source]).toEqual(['registry', 'registry']);
    expect(report.summary.sizeBytes).toMatchObject({ before: 150_000, after: 180_000, delta: 30_000 });
    expect(report.summary.user).toEqual({ before: '', after: '10001' });
    expect(report.layers.sharedPrefixLayers).toBe(1);
    expect(report.layers.firstDivergence).toBe(1);
    expect(report.layers.rows.map((row) => row.status)).toEqual(['changed']);
    expect(report.files.changes.map((c) => [c.path, c.kind, c.changed])).toEqual([
      ['/app/bin', 'modified', ['content', 'size']],
    ]);
    // Each blob once: the shared base, both app layers and both configs.
    const blobs = proxy.requests.filter((r) => r.path.includes('/blobs/')).map((r) => r.path);
    expect(blobs.filter((p) => p.endsWith(v1.layers[0]!.digest))).toHaveLength(1);
    expect(blobs).toHaveLength(5);
    expect(new Set(blobs).size).toBe(5);
  });

  it('refuses to send --username/--password-stdin to two registries, before contacting either', async () => {
    proxy.requests.length = 0;
    const result = await runCli(
      [
        'diff',
        `${proxy.host}/diff/app:1`,
        `${fixture.registry.host}/diff/app:2`,
        '--username',
        'u',
        '--password-stdin',
      ],
      fixture.cliEnv(),
      { stdin: 'secret-pw' },
    );
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toMatch(/--username\/--password-stdin would go to two registries/);
    expect(result.stderr).not.toContain('secret-pw');
    expect(proxy.requests).toEqual([]);
  });
});
