import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { DigestMismatchError, NetworkError, RegistryError } from '../../../src/errors.js';
import { BlobCache } from '../../../src/registry/index.js';
import type { RegistrySource, RegistrySourceOptions } from '../../../src/sources/registry-source.js';
import { STORAGE_ADDRESS, startFaultProxy } from '../../helpers/fault-proxy.js';
import { canListen, hostLacks } from '../../helpers/host-features.js';
import { waitFor } from '../../helpers/watchdog.js';
import { startRegistryFixture } from '../../helpers/registry-fixture.js';
import { type WrittenImage, noise } from '../../helpers/registry-images.js';
import { registryTestsSkipReason } from '../../helpers/registry-server.js';
import { registrySource } from '../../helpers/registry-source.js';
import { readAll } from '../../helpers/stream-bytes.js';
import { describeWithRegistry, useFaultProxy, useRegistryFixture } from '../../helpers/registry-suite.js';
import { tempDir } from '../../helpers/temp.js';

const registryToolsPresent = registryTestsSkipReason() === null;
const noIpv6 = registryToolsPresent && hostLacks('the IPv6 loopback ::1', await canListen('::1'));
const noStorageAlias =
  registryToolsPresent &&
  hostLacks(`the loopback alias ${STORAGE_ADDRESS}`, await canListen(STORAGE_ADDRESS));

describeWithRegistry('faults injected between the client and docker-registry', () => {
  const fixture = useRegistryFixture({ name: 'faults' });
  const proxy = useFaultProxy(fixture);
  let image: WrittenImage;
  let big: WrittenImage['layers'][number];

  beforeAll(async () => {
    image = await fixture.pushImage(
      'img',
      { layers: [{ files: { small: 'small' } }, { files: { big: noise(2_000_000, 7) } }] },
      'faults/app:1',
    );
    big = image.layers[1]!;
  });

  function source(extra: Partial<RegistrySourceOptions> = {}, host = proxy.host): RegistrySource {
    return registrySource(`${host}/faults/app:1`, { retry: { baseDelayMs: 20, maxDelayMs: 200 }, ...extra });
  }

  const bigBlobPath = (): string => `/v2/faults/app/blobs/${big.digest}`;

  it('resumes a layer with Range after a connection reset in the middle', async () => {
    let resets = 0;
    proxy.fault = (req) => {
      if (req.path === bigBlobPath() && resets < 2) {
        resets += 1;
        return { resetAfterBytes: 300_000 * resets };
      }
      return undefined;
    };
    const resolved = await source().resolve({});
    const bytes = await readAll(await resolved.layers[1]!.open());
    expect(bytes.equals(big.gz)).toBe(true);
    const ranges = proxy.requests.filter((r) => r.path === bigBlobPath()).map((r) => r.headers.range ?? null);
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBeNull();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(ranges[1] ?? '')?.[0])).toBeGreaterThan(0);
    expect(Number(/\d+/.exec(ranges[2] ?? '')?.[0])).toBeGreaterThan(
      Number(/\d+/.exec(ranges[1] ?? '')?.[0]),
    );
  });

  it('waits as long as Retry-After says on 429', async () => {
    let sent = false;
    proxy.fault = (req) => {
      if (req.path.includes('/manifests/') && !sent) {
        sent = true;
        return { status: 429, headers: { 'Retry-After': '1' } };
      }
      return undefined;
    };
    // What the client waits for, read off the timer it sets (the backoff alone is at most 200 ms).
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const resolved = await source().resolve({});
      expect(resolved.manifestDigest).toBe(image.manifestDigest);
      expect(timers.mock.calls.map((call) => call[1])).toContain(1000);
    } finally {
      timers.mockRestore();
    }
    expect(proxy.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(2);
  });

  it('retries a 503 and succeeds', async () => {
    let failures = 0;
    proxy.fault = (req) => (req.path === bigBlobPath() && failures++ < 2 ? { status: 503 } : undefined);
    const resolved = await source().resolve({});
    expect((await readAll(await resolved.layers[1]!.open())).equals(big.gz)).toBe(true);
    expect(proxy.requests.filter((r) => r.path === bigBlobPath())).toHaveLength(3);
  });

  it('gives up on a blob that keeps failing, with a clear registry error', async () => {
    proxy.fault = (req) => (req.path === bigBlobPath() ? { status: 503 } : undefined);
    const resolved = await source().resolve({});
    const error = await readAll(await resolved.layers[1]!.open()).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(new RegExp(`answered HTTP 503 for blob ${big.digest}`));
    expect(proxy.requests.filter((r) => r.path === bigBlobPath())).toHaveLength(6);
  });

  it('keeps resuming while bytes arrive, and gives up when attempts in a row bring none', async () => {
    let calls = 0;
    // Ten cuts, each after a little more: progress every time, so it gets there.
    proxy.fault = (req) =>
      req.path === bigBlobPath() && calls++ < 10 ? { resetAfterBytes: 100_000 } : undefined;
    const resolved = await source().resolve({});
    expect((await readAll(await resolved.layers[1]!.open())).equals(big.gz)).toBe(true);
    expect(proxy.requests.filter((r) => r.path === bigBlobPath())).toHaveLength(11);

    proxy.requests.length = 0;
    proxy.fault = (req) => (req.path === bigBlobPath() ? { resetAfterBytes: 0 } : undefined);
    const error = await readAll(await resolved.layers[1]!.open()).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/6 attempts in a row made no progress/);
    expect(proxy.requests.filter((r) => r.path === bigBlobPath())).toHaveLength(6);
  });

  it('fails on bytes that do not match the digest and caches nothing', async () => {
    const cacheDir = await tempDir('imgscope-faults-cache-');
    proxy.fault = (req) => (req.path === bigBlobPath() ? { corruptByteAt: 1_000_000 } : undefined);
    const resolved = await source({ cache: new BlobCache(cacheDir) }).resolve({});
    const error = await readAll(await resolved.layers[1]!.open()).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(DigestMismatchError);
    expect((error as Error).message).toContain(big.digest);
    // The partial file goes once its stream has closed: wait for that, then look.
    await waitFor(async () => (await readdir(join(cacheDir, 'tmp'))).length === 0, 'the partial file to go');
    const cached = await readdir(join(cacheDir, 'blobs', 'sha256')).catch(() => []);
    expect(cached).not.toContain(big.digest.slice(7));
  });

  it("tells the layers' stored sizes once the manifest names them, before it asks for the config", async () => {
    const told: { sizes: readonly number[]; asked: string[] }[] = [];
    const resolved = await source().resolve({
      onLayerSizes: (sizes) => told.push({ sizes, asked: proxy.requests.map((r) => r.path) }),
    });
    expect(told).toEqual([
      { sizes: image.layers.map((layer) => layer.size), asked: ['/v2/', '/v2/faults/app/manifests/1'] },
    ]);
    expect(proxy.requests.map((r) => r.path).at(-1)).toBe(`/v2/faults/app/blobs/${resolved.configDigest}`);
  });

  it('asks for manifests with the full Accept list', async () => {
    await source().resolve({});
    const accept = proxy.requests.find((r) => r.path.includes('/manifests/'))?.headers.accept ?? '';
    expect(accept.split(/,\s*/).sort()).toEqual(
      [
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json',
      ].sort(),
    );
  });

  it('refuses a Docker schema 1 manifest clearly', async () => {
    proxy.fault = (req) =>
      req.path.includes('/manifests/')
        ? {
            status: 200,
            headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' },
            body: JSON.stringify({
              schemaVersion: 1,
              name: 'faults/app',
              tag: '1',
              fsLayers: [],
              history: [],
            }),
          }
        : undefined;
    const error = await source()
      .resolve({})
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/is a Docker schema 1 manifest, which imgscope does not read/);
  });

  it.skipIf(noIpv6)('reaches a registry on the IPv6 loopback ([::1]:PORT)', async () => {
    const v6 = await startFaultProxy(fixture.registry.host, { listen: '::1' });
    try {
      const resolved = await source({}, v6.host).resolve({});
      expect(v6.host).toMatch(/^\[::1\]:\d+$/);
      expect(resolved.manifestDigest).toBe(image.manifestDigest);
      expect((await readAll(await resolved.layers[0]!.open())).equals(image.layers[0]!.gz)).toBe(true);
    } finally {
      await v6.stop();
    }
  });

  it.skipIf(noStorageAlias)(
    'follows a redirect to another host without sending Authorization there',
    async () => {
      // A registry that demands Basic credentials itself (htpasswd), behind the proxy; the
      // storage host holds its own access, as a CDN does, and records what the client sent it.
      const account = { user: 'bob', password: 'pw-for-bob' };
      const authed = await startRegistryFixture({ name: 'faults-auth', account });
      const own = `Basic ${Buffer.from(`${account.user}:${account.password}`).toString('base64')}`;
      const front = await startFaultProxy(authed.registry.host, { storageAuthorization: own });
      try {
        const pushed = await authed.pushImage(
          'img',
          { layers: [{ files: { big: noise(500_000, 8) } }] },
          'faults/app:1',
        );
        front.fault = (req) => (req.path.includes('/blobs/') ? { redirectToStorage: true } : undefined);
        const src = source({ credentials: { username: 'bob', password: 'pw-for-bob' } }, front.host);
        const resolved = await src.resolve({});
        expect(resolved.manifestDigest).toBe(pushed.manifestDigest);
        expect((await readAll(await resolved.layers[0]!.open())).equals(pushed.layers[0]!.gz)).toBe(true);
        const toRegistry = front.requests.filter(
          (r) => r.server === 'registry' && r.path.includes('/blobs/'),
        );
        const toStorage = front.requests.filter((r) => r.server === 'storage');
        // Config and layer, each asked of the registry with Basic and fetched from storage without.
        expect(toRegistry.map((r) => r.headers.authorization)).toEqual([own, own]);
        expect(toStorage.map((r) => r.path)).toEqual(toRegistry.map((r) => r.path));
        expect(toStorage.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
        await src.close();
      } finally {
        await front.stop();
        await authed.stop();
      }
    },
  );
});
