import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { PlatformNotFoundError, RegistryError } from '../../../src/errors.js';
import { BlobCache } from '../../../src/registry/index.js';
import { startFaultProxy } from '../../helpers/fault-proxy.js';
import { type WrittenImage, noise, writeTestIndexLayout } from '../../helpers/registry-images.js';
import { registrySource } from '../../helpers/registry-source.js';
import { readAll } from '../../helpers/stream-bytes.js';
import { describeWithRegistry, useRegistryFixture } from '../../helpers/registry-suite.js';
import { tempDir } from '../../helpers/temp.js';

describeWithRegistry('registry source against docker-registry (anonymous, plain HTTP on loopback)', () => {
  const fixture = useRegistryFixture({ name: 'anon' });
  let image: WrittenImage;
  let arm: WrittenImage;
  let amd: WrittenImage;
  let indexDigest: string;

  beforeAll(async () => {
    image = await fixture.pushImage(
      'one',
      { layers: [{ files: { 'etc/hello': 'hello' } }, { files: { 'app/big': noise(300_000) } }] },
      'test/oci:1',
    );
    await fixture.pushLayout('one', 'test/docker:1', ['--format', 'v2s2']);
    const idx = await writeTestIndexLayout(join(fixture.work, 'multi'), [
      { platform: { os: 'linux', architecture: 'amd64' }, layers: [{ files: { amd: 'x86' } }] },
      {
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        layers: [{ files: { arm: 'arm' } }],
      },
    ]);
    [amd, arm] = idx.images as [WrittenImage, WrittenImage];
    indexDigest = idx.indexDigest;
    await fixture.pushLayout('multi', 'test/multi:1', ['--all']);
  });

  it('reads an OCI manifest, its config and layer bytes', async () => {
    const src = registrySource(`${fixture.registry.host}/test/oci:1`);
    const resolved = await src.resolve({});
    expect(resolved.manifestDigest).toBe(image.manifestDigest);
    expect(resolved.configDigest).toBe(image.configDigest);
    expect(resolved.platform).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(resolved.layers.map((l) => l.descriptor?.digest)).toEqual(image.layers.map((l) => l.digest));
    expect(resolved.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
    for (const [i, layer] of resolved.layers.entries()) {
      expect((await readAll(await layer.open())).equals(image.layers[i]!.gz)).toBe(true);
    }
    await src.close();
  });

  it('reads a Docker schema 2 manifest (skopeo --format v2s2)', async () => {
    const src = registrySource(`docker://${fixture.registry.host}/test/docker:1`);
    const resolved = await src.resolve({});
    expect(resolved.configDigest).not.toBeNull();
    expect(resolved.layers[0]?.descriptor?.mediaType).toBe(
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
    );
    expect((await readAll(await resolved.layers[1]!.open())).equals(image.layers[1]!.gz)).toBe(true);
    await src.close();
  });

  it('selects a platform from a two-platform index', async () => {
    const armSrc = registrySource(`${fixture.registry.host}/test/multi:1`);
    const resolved = await armSrc.resolve({ platform: { os: 'linux', architecture: 'arm64' } });
    expect(resolved.manifestDigest).toBe(arm.manifestDigest);
    expect(resolved.platform).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    // Reports name the index and the other platforms it has.
    expect(resolved.index).toEqual({
      digest: indexDigest,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    });
    const amdResolved = await registrySource(`${fixture.registry.host}/test/multi:1`).resolve({
      platform: { os: 'linux', architecture: 'amd64' },
    });
    expect(amdResolved.manifestDigest).toBe(amd.manifestDigest);
    await expect(
      registrySource(`${fixture.registry.host}/test/multi:1`).resolve({
        platform: { os: 'linux', architecture: 's390x' },
      }),
    ).rejects.toThrow(/no image for platform linux\/s390x; available: linux\/amd64, linux\/arm64\/v8/);
  });

  it('refuses --platform that a single-platform image does not have', async () => {
    const error = await registrySource(`${fixture.registry.host}/test/oci:1`)
      .resolve({ platform: { os: 'linux', architecture: 'arm64' } })
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(PlatformNotFoundError);
    expect((error as Error).message).toMatch(/single-platform image for linux\/amd64, not linux\/arm64/);
  });

  it('downloads no more blobs at once than --concurrency allows', async () => {
    const proxy = await startFaultProxy(fixture.registry.host);
    try {
      const layerPath = (i: number): string => `/v2/test/oci/blobs/${image.layers[i]!.digest}`;
      // The first layer trickles in, so a second download running beside it would reach the
      // proxy before the first ends.
      proxy.fault = (req) => (req.path === layerPath(0) ? { bytesPerSecond: 100 } : undefined);
      const resolved = await registrySource(`${proxy.host}/test/oci:1`, { concurrency: 1 }).resolve({});
      const first = await resolved.layers[0]!.open();
      const second = resolved.layers[1]!.open();
      expect((await readAll(first)).equals(image.layers[0]!.gz)).toBe(true);
      // Order, not time: all the while the first was read, the second was not asked for.
      expect(proxy.requests.filter((r) => r.path === layerPath(1))).toEqual([]);
      expect((await readAll(await second)).equals(image.layers[1]!.gz)).toBe(true);
      expect(proxy.requests.filter((r) => r.path === layerPath(1))).toHaveLength(1);
    } finally {
      await proxy.stop();
    }
  });

  it('pulls by digest', async () => {
    const resolved = await registrySource(
      `${fixture.registry.host}/test/oci@${image.manifestDigest}`,
    ).resolve({});
    expect(resolved.configDigest).toBe(image.configDigest);
  });

  it('says clearly when a tag does not exist', async () => {
    const error = await registrySource(`${fixture.registry.host}/test/oci:nope`)
      .resolve({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/test\/oci:nope not found/);
  });

  it('caches blobs after a verified read and serves them from the cache', async () => {
    const cacheDir = await tempDir('imgscope-cache-');
    const cache = new BlobCache(cacheDir);
    const resolved = await registrySource(`${fixture.registry.host}/test/oci:1`, { cache }).resolve({});
    for (const layer of resolved.layers) await readAll(await layer.open());
    const entries = await readdir(join(cacheDir, 'blobs', 'sha256'));
    expect(entries.sort()).toEqual(
      [image.configDigest, ...image.layers.map((l) => l.digest)].map((d) => d.slice(7)).sort(),
    );
    expect(await readdir(join(cacheDir, 'tmp'))).toEqual([]);
    // A registry that is gone: everything but the manifest comes from the cache.
    const cached = await registrySource(`${fixture.registry.host}/test/oci:1`, { cache }).resolve({});
    await fixture.registry.process.kill('SIGSTOP');
    try {
      for (const [i, layer] of cached.layers.entries()) {
        expect((await readAll(await layer.open())).equals(image.layers[i]!.gz)).toBe(true);
      }
    } finally {
      fixture.registry.process.kill('SIGCONT');
    }
  });
});
