import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../../helpers/fault-proxy.js';
import { runImgscope } from '../../helpers/registry-cli.js';
import { type RegistryFixture, startRegistryFixture } from '../../helpers/registry-fixture.js';
import { type WrittenImage, noise } from '../../helpers/registry-images.js';
import { registryTestsSkipReason } from '../../helpers/registry-server.js';
import { expectOneLineError } from '../../helpers/run-cli.js';

const skip = registryTestsSkipReason();

describe.skipIf(skip !== null)('imgscope diff of two registry images', () => {
  let fixture: RegistryFixture;
  let proxy: FaultProxy;
  let v1: WrittenImage;

  beforeAll(async () => {
    fixture = await startRegistryFixture({ name: 'diff' });
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
    proxy = await startFaultProxy(fixture.registry.host);
  });
  afterAll(async () => {
    await proxy?.stop();
    await fixture?.stop();
  });

  it('compares two tags and downloads the shared base layer once', async () => {
    const result = await runImgscope(
      ['diff', `${proxy.host}/diff/app:1`, `${proxy.host}/diff/app:2`, '--json', '--no-cache'],
      { HOME: fixture.work },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(JSON.stringify(report)).toContain('/app/bin');
    const baseRequests = proxy.requests.filter((r) => r.path.endsWith(v1.layers[0]!.digest));
    expect(baseRequests).toHaveLength(1);
  });

  it('refuses to send --username/--password-stdin to two registries, before contacting either', async () => {
    proxy.requests.length = 0;
    const result = await runImgscope(
      [
        'diff',
        `${proxy.host}/diff/app:1`,
        `${fixture.registry.host}/diff/app:2`,
        '--username',
        'u',
        '--password-stdin',
      ],
      { HOME: fixture.work },
      'secret-pw',
    );
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toMatch(/--username\/--password-stdin would go to two registries/);
    expect(result.stderr).not.toContain('secret-pw');
    expect(proxy.requests).toEqual([]);
  });
});
