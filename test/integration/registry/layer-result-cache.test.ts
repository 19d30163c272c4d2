import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { LAYER_DEBUG, layerLog } from '../../helpers/layer-log.js';
import { startRegistryFixture } from '../../helpers/registry-fixture.js';
import { type TestLayer, type WrittenImage, noise } from '../../helpers/registry-images.js';
import { describeWithRegistry, useRegistryFixture } from '../../helpers/registry-suite.js';
import { expectOneLineError, runCli, startCli } from '../../helpers/run-cli.js';
import { tempDir } from '../../helpers/temp.js';

/** The two-layer base both images are built on. */
const base = (): TestLayer[] => [
  { files: { 'etc/os-release': 'ID=test\n', 'bin/sh': noise(120_000, 31) } },
  { files: { 'usr/lib/libc.so': noise(90_000, 32) } },
];
/** The second image: the base and one layer of its own. */
const secondLayers = (): TestLayer[] => [...base(), { files: { 'app/two': noise(60_000, 34) } }];

describeWithRegistry('the layer-result cache against docker-registry', () => {
  const fixture = useRegistryFixture({ name: 'layer-cache' });
  let first: WrittenImage;
  let second: WrittenImage;

  beforeAll(async () => {
    // Two images on the same two-layer base, each with one layer of its own.
    first = await fixture.pushImage(
      'first',
      { layers: [...base(), { files: { 'app/one': noise(40_000, 33) } }] },
      'fleet/one:1',
    );
    second = await fixture.pushImage('second', { layers: secondLayers() }, 'fleet/two:1');
  });

  const analyze = (reference: string, cache: string, flags: string[] = []) =>
    runCli(['analyze', reference, '--json', ...flags], { ...fixture.cliEnv(cache), ...LAYER_DEBUG });

  it('reads the shared base layers once: the second image reads only its own layer, a rerun none', async () => {
    expect(first.layers.slice(0, 2).map((layer) => layer.digest)).toEqual(
      second.layers.slice(0, 2).map((layer) => layer.digest),
    );
    const cache = await tempDir('imgscope-layer-cache-shared-');
    const host = fixture.registry.host;

    const one = await analyze(`${host}/fleet/one:1`, cache);
    expect(one.code).toBe(0);
    expect(layerLog(one.stderr)).toEqual({ read: ['layer 0', 'layer 1', 'layer 2'], cached: [] });

    const two = await analyze(`${host}/fleet/two:1`, cache);
    expect(two.code).toBe(0);
    expect(layerLog(two.stderr)).toEqual({ read: ['layer 2'], cached: ['layer 0', 'layer 1'] });

    const again = await analyze(`${host}/fleet/two:1`, cache);
    expect(layerLog(again.stderr)).toEqual({ read: [], cached: ['layer 0', 'layer 1', 'layer 2'] });

    // --no-cache reads every layer, and the report is byte for byte the cached one's.
    const fresh = await analyze(`${host}/fleet/two:1`, cache, ['--no-cache']);
    expect(layerLog(fresh.stderr)).toEqual({ read: ['layer 0', 'layer 1', 'layer 2'], cached: [] });
    expect(again.stdout).toBe(fresh.stdout);
    expect(two.stdout).toBe(fresh.stdout);
    const report = JSON.parse(again.stdout) as { image: { digest: string; sizeBytes: number } };
    expect(report.image.digest).toBe(second.manifestDigest);
    // The files' bytes: "ID=test\n" and the three noise files.
    expect(report.image.sizeBytes).toBe(8 + 120_000 + 90_000 + 60_000);
  });

  it('two processes storing the same layers at once both succeed and leave a whole cache', async () => {
    const cache = await tempDir('imgscope-layer-cache-race-');
    const reference = `${fixture.registry.host}/fleet/one:1`;
    const env = { ...fixture.cliEnv(cache), ...LAYER_DEBUG };
    const runs = await Promise.all([
      startCli(['analyze', reference, '--json'], env),
      startCli(['analyze', reference, '--json'], env),
    ]);
    const [a, b] = await Promise.all(runs.map((run) => run.result));
    expect([a?.code, b?.code]).toEqual([0, 0]);
    expect(a?.stdout).toBe(b?.stdout);
    expect(await readdir(join(cache, 'imgscope', 'tmp'))).toEqual([]);
    // Every entry whole: a third run uses all three, without a warning, and reports the same.
    const third = await analyze(reference, cache);
    expect(layerLog(third.stderr)).toEqual({ read: [], cached: ['layer 0', 'layer 1', 'layer 2'] });
    expect(third.stderr).not.toMatch(/warning/);
    expect(third.stdout).toBe(a?.stdout);
    const list = await runCli(['cache', 'list', '--json'], fixture.cliEnv(cache));
    const entries = (JSON.parse(list.stdout) as { entries: { kind: string; digest: string }[] }).entries;
    expect(
      entries
        .filter((entry) => entry.kind === 'layer')
        .map((entry) => entry.digest)
        .sort(),
    ).toEqual(first.layers.map((layer) => layer.digest).sort());
  });

  // On a registry of its own, which it stops: the other tests (in any order) keep theirs.
  it('analyzes a digest reference with no network at all once its manifest, config and layers are cached', async () => {
    const own = await startRegistryFixture({ name: 'layer-cache-offline' });
    try {
      const image = await own.pushImage('second', { layers: secondLayers() }, 'fleet/two:1');
      const cache = await tempDir('imgscope-layer-cache-offline-');
      const byDigest = `${own.registry.host}/fleet/two@${image.manifestDigest}`;
      const online = await analyze(byDigest, cache);
      expect(online.code).toBe(0);
      expect(layerLog(online.stderr).read).toEqual(['layer 0', 'layer 1', 'layer 2']);

      await own.registry.stop();
      const offline = await analyze(byDigest, cache);
      expect(offline.stderr.split('\n').filter((line) => !line.includes('imgscope:layers'))).toEqual(['']);
      expect(offline.code).toBe(0);
      expect(layerLog(offline.stderr)).toEqual({ read: [], cached: ['layer 0', 'layer 1', 'layer 2'] });
      expect(offline.stdout).toBe(online.stdout);

      // The registry is really gone: a tag still needs it.
      const byTag = await runCli(
        ['analyze', `${own.registry.host}/fleet/two:1`, '--json'],
        own.cliEnv(cache),
      );
      expect(byTag.code).toBe(3);
      expectOneLineError(byTag);
    } finally {
      await own.stop();
    }
  });
});
