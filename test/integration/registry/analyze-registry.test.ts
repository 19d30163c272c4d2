import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { verifiedCachedBlobs } from '../../helpers/cached-blobs.js';
import { startForwardProxy } from '../../helpers/fault-proxy.js';
import { type TestLayer, type WrittenImage, noise } from '../../helpers/registry-images.js';
import { describeWithRegistry, useFaultProxy, useRegistryFixture } from '../../helpers/registry-suite.js';
import { connectionRefused, hostLacks } from '../../helpers/host-features.js';
import { expectOneLineError, runCli, startCli } from '../../helpers/run-cli.js';
import { tempDir } from '../../helpers/temp.js';
import { waitFor } from '../../helpers/watchdog.js';

const noClosedPort = hostLacks('a closed port 1 on 127.0.0.1', await connectionRefused('127.0.0.1', 1));

/** Bytes in the cache's partial downloads (imgscope/tmp). */
async function partialBytes(cacheRoot: string): Promise<number> {
  const dir = join(cacheRoot, 'imgscope', 'tmp');
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(
    names.map((n) =>
      stat(join(dir, n)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

interface Report {
  image: {
    digest: string;
    id: string;
    sizeBytes: number;
    compressedSizeBytes: number;
    layerCount: number;
    metadataOnly: boolean;
    user: string;
  };
  layers: { digest: string; sizeBytes: number; compressedSizeBytes: number | null }[];
  efficiency: { wastedBytes: number };
}

/** The blobs a run left in the cache at `cacheRoot`, each checked against its name. */
function cachedBlobs(cacheRoot: string): Promise<string[]> {
  return verifiedCachedBlobs(join(cacheRoot, 'imgscope'));
}

describeWithRegistry('imgscope analyze against docker-registry', () => {
  const fixture = useRegistryFixture({ name: 'cli' });
  const proxy = useFaultProxy(fixture);
  let image: WrittenImage;
  let cacheRoot: string;

  beforeAll(async () => {
    const layers: TestLayer[] = [
      { files: { 'etc/os-release': 'ID=test\n', 'opt/data.bin': noise(200_000, 1) } },
      { files: { 'opt/data.bin': noise(200_000, 2), 'opt/big.bin': noise(3_000_000, 3) } },
    ];
    image = await fixture.pushImage('img', { user: '10001', layers }, 'cli/app:1');
    await fixture.pushImage('plain', { user: '10001', layers, uncompressed: true }, 'cli/zstd:1', [
      '--dest-compress-format',
      'zstd',
      '--dest-compress',
    ]);
  });
  afterEach(async () => {
    if (cacheRoot) await rm(cacheRoot, { recursive: true, force: true });
  });

  async function analyze(ref: string, extra: string[] = [], env: Record<string, string> = {}) {
    cacheRoot ??= await tempDir('imgscope-cli-cache-');
    return runCli(['analyze', ref, '--json', ...extra], { ...fixture.cliEnv(cacheRoot), ...env });
  }

  it('analyzes a registry image, then analyzes it again without a single blob request', async () => {
    cacheRoot = await tempDir('imgscope-cli-cache-');
    const first = await analyze(`${proxy.host}/cli/app:1`);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as Report;
    expect(report.image.digest).toBe(image.manifestDigest);
    expect(report.image.id).toBe(image.configDigest);
    expect(report.image.user).toBe('10001');
    expect(report.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    expect(report.efficiency.wastedBytes).toBe(400_000);
    expect(proxy.requests.filter((r) => r.path.includes('/blobs/'))).toHaveLength(3);
    expect((await cachedBlobs(cacheRoot)).length).toBe(3);

    proxy.requests.length = 0;
    const second = await analyze(`docker://${proxy.host}/cli/app:1`);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual(report);
    expect(proxy.requests.filter((r) => r.path.includes('/blobs/'))).toEqual([]);
  });

  it('--no-cache downloads again, beside a full cache, and leaves the cache as it was', async () => {
    cacheRoot = await tempDir('imgscope-cli-cache-');
    const blobPaths = [image.configDigest, ...image.layers.map((l) => l.digest)]
      .map((d) => `/v2/cli/app/blobs/${d}`)
      .sort();
    const blobRequests = (): string[] =>
      proxy.requests
        .filter((r) => r.path.includes('/blobs/'))
        .map((r) => r.path)
        .sort();
    const first = await analyze(`${proxy.host}/cli/app:1`);
    expect(first.code).toBe(0);
    expect(blobRequests()).toEqual(blobPaths);
    const cached = await cachedBlobs(cacheRoot);
    expect(cached).toHaveLength(3);
    proxy.requests.length = 0;
    // Every blob is in the cache now, yet --no-cache asks the registry for each one again.
    const again = await analyze(`${proxy.host}/cli/app:1`, ['--no-cache']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout));
    expect(blobRequests()).toEqual(blobPaths);
    expect(await cachedBlobs(cacheRoot)).toEqual(cached);
    expect(await readdir(join(cacheRoot, 'imgscope', 'tmp'))).toEqual([]);
  });

  it('reads zstd layers pushed with skopeo --dest-compress-format zstd', async () => {
    const gzip = JSON.parse(
      (await analyze(`${fixture.registry.host}/cli/app:1`, ['--no-cache'])).stdout,
    ) as Report;
    const result = await analyze(`${fixture.registry.host}/cli/zstd:1`, ['--no-cache']);
    expect(result.stderr).toBe('');
    const zstd = JSON.parse(result.stdout) as Report;
    expect(zstd.image.sizeBytes).toBe(gzip.image.sizeBytes);
    const manifest = await fetch(`http://${fixture.registry.host}/v2/cli/zstd/manifests/1`, {
      headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
    }).then((r) => r.json() as Promise<{ layers: { mediaType: string }[] }>);
    expect(manifest.layers.map((l) => l.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar+zstd',
      'application/vnd.oci.image.layer.v1.tar+zstd',
    ]);
    expect(zstd.layers.map((l) => l.digest)).not.toEqual(gzip.layers.map((l) => l.digest));
    expect(zstd.efficiency.wastedBytes).toBe(400_000);
  });

  it('keeps the blob cache under IMGSCOPE_BLOB_CACHE_MAX, but never the blobs of the image it reads', async () => {
    cacheRoot = await tempDir('imgscope-cli-cache-');
    const cap = { IMGSCOPE_BLOB_CACHE_MAX: '1kB' };
    const first = await analyze(`${proxy.host}/cli/app:1`, [], cap);
    expect(first.code).toBe(0);
    // Three blobs far past the cap, all kept: this run read them.
    const firstBlobs = await cachedBlobs(cacheRoot);
    expect(firstBlobs).toHaveLength(3);
    // As if that run were an hour ago.
    const hourAgo = new Date(Date.now() - 3600_000);
    const dir = join(cacheRoot, 'imgscope', 'blobs', 'sha256');
    for (const name of firstBlobs) await utimes(join(dir, name), hourAgo, hourAgo);

    proxy.requests.length = 0;
    const second = await analyze(`${proxy.host}/cli/zstd:1`, [], cap);
    expect(second.code).toBe(0);
    const downloaded = proxy.requests
      .filter((r) => r.path.includes('/blobs/sha256:'))
      .map((r) => r.path.slice(r.path.lastIndexOf(':') + 1));
    // The zstd twin's config is app:1's (the same diff_ids): found in the cache, not downloaded.
    expect(downloaded).toHaveLength(2);
    expect((await cachedBlobs(cacheRoot)).sort()).toEqual(
      [...downloaded, image.configDigest.slice(7)].sort(),
    );
    const list = await runCli(['cache', 'list', '--json'], { XDG_CACHE_HOME: cacheRoot, ...cap });
    expect((JSON.parse(list.stdout) as { blobsMaxBytes: number }).blobsMaxBytes).toBe(1000);

    const bad = await analyze(`${proxy.host}/cli/app:1`, [], { IMGSCOPE_BLOB_CACHE_MAX: 'huge' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'imgscope: error: IMGSCOPE_BLOB_CACHE_MAX: "huge" is not a size: expected a number with an optional unit such as 20MB or 1.5GiB\n',
    );
  });

  it('--no-layers reads only the manifest and config', async () => {
    const result = await analyze(`${proxy.host}/cli/app:1`, ['--no-layers', '--no-cache']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.image.metadataOnly).toBe(true);
    expect(report.image.compressedSizeBytes).toBe(image.layers.reduce((s, l) => s + l.size, 0));
    expect(report.layers.map((l) => l.compressedSizeBytes)).toEqual(image.layers.map((l) => l.size));
    expect(proxy.requests.filter((r) => r.path.includes('/blobs/')).map((r) => r.path)).toEqual([
      `/v2/cli/app/blobs/${image.configDigest}`,
    ]);
  });

  it('exits 3 with one clear line when a blob keeps failing', async () => {
    proxy.fault = (req) => (req.path.includes(image.layers[1]!.digest) ? { status: 500 } : undefined);
    const result = await analyze(`${proxy.host}/cli/app:1`, ['--no-cache']);
    expect(result.code).toBe(3);
    expect(expectOneLineError(result)).toMatch(/^imgscope: error: .*HTTP 500 for blob sha256:/);
  }, 60_000);

  it.skipIf(noClosedPort)(
    'exits 3 with one line for a registry that is not there',
    async () => {
      const result = await analyze('127.0.0.1:1/nothing/here:1', ['--no-cache', '--timeout', '2']);
      expect(result.code).toBe(3);
      expect(expectOneLineError(result)).toMatch(
        /^imgscope: error: cannot reach 127\.0\.0\.1:1: ECONNREFUSED/,
      );
    },
    60_000,
  );

  it('fails on bytes that do not match their digest and caches nothing bad', async () => {
    cacheRoot = await tempDir('imgscope-cli-cache-');
    proxy.fault = (req) =>
      req.path.includes(image.layers[1]!.digest) ? { corruptByteAt: 2_000_000 } : undefined;
    const result = await analyze(`${proxy.host}/cli/app:1`);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toMatch(
      new RegExp(
        `^imgscope: error: .*${image.layers[1]!.digest.slice(7)}.*digest mismatch|digest mismatch.*${image.layers[1]!.digest.slice(7)}`,
      ),
    );
    const cached = await cachedBlobs(cacheRoot);
    expect(cached).not.toContain(image.layers[1]!.digest.slice(7));
  });

  it('survives being killed during a download: the next run is correct and the cache holds no bad entry', async () => {
    cacheRoot = await tempDir('imgscope-cli-cache-');
    const big = image.layers[1]!;
    proxy.fault = (req) => (req.path.includes(big.digest) ? { bytesPerSecond: 500_000 } : undefined);
    const run = await startCli(['analyze', `${proxy.host}/cli/app:1`, '--json'], fixture.cliEnv(cacheRoot));
    // Killed in the middle of the big layer: once part of it is on disk, not after a set time.
    await waitFor(
      async () => (await partialBytes(cacheRoot)) > 100_000,
      'a partial download of the big layer',
    );
    run.child.kill('SIGKILL');
    await run.result;
    const partial = await readdir(join(cacheRoot, 'imgscope', 'tmp'));
    expect(partial.length).toBeGreaterThan(0);
    expect(await cachedBlobs(cacheRoot)).not.toContain(big.digest.slice(7));

    proxy.fault = () => undefined;
    const again = await analyze(`${proxy.host}/cli/app:1`);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as Report).image.digest).toBe(image.manifestDigest);
    expect(await cachedBlobs(cacheRoot)).toContain(big.digest.slice(7));

    // The rerun swept the dead process's partial download.
    expect(await readdir(join(cacheRoot, 'imgscope', 'tmp'))).toEqual([]);
    const list = await runCli(['cache', 'list', '--json'], fixture.cliEnv(cacheRoot));
    const listing = JSON.parse(list.stdout) as {
      totalBytes: number;
      codeCache: { files: number; bytes: number };
      entries: { kind: string; digest: string }[];
    };
    const digestsOf = (kind: string): string[] =>
      listing.entries
        .filter((entry) => entry.kind === kind)
        .map((entry) => entry.digest)
        .sort();
    expect(digestsOf('blob')).toEqual(
      [image.configDigest, ...image.layers.map((layer) => layer.digest)].sort(),
    );
    // Each layer's result too, under its blob's digest.
    expect(digestsOf('layer')).toEqual(image.layers.map((layer) => layer.digest).sort());
    expect(listing.entries).toHaveLength(5);
    // And the compiled code of the analysis's start (the cache commands keep none).
    expect(listing.codeCache.files).toBe(1);
    const prune = await runCli(['cache', 'prune'], fixture.cliEnv(cacheRoot));
    expect(prune.code).toBe(0);
    expect(prune.stdout).toMatch(
      new RegExp(
        `^Removed 3 blobs, 2 layer results, 1 compiled-code file and 0 temporary files \\(.*, ${listing.totalBytes + listing.codeCache.bytes} bytes freed\\) from `,
      ),
    );
    expect(await readdir(join(cacheRoot, 'imgscope', 'blobs', 'sha256'))).toEqual([]);
  }, 60_000);

  it('goes through HTTP_PROXY, and not when NO_PROXY names the host', async () => {
    const forward = await startForwardProxy();
    try {
      const via = await analyze(`${fixture.registry.host}/cli/app:1`, ['--no-cache', '--no-layers'], {
        HTTP_PROXY: forward.url,
      });
      expect(via.code).toBe(0);
      expect(forward.seen).toContain(`GET ${fixture.registry.host}/v2/cli/app/manifests/1`);
      forward.seen.length = 0;
      const direct = await analyze(`${fixture.registry.host}/cli/app:1`, ['--no-cache', '--no-layers'], {
        HTTP_PROXY: forward.url,
        NO_PROXY: 'localhost,127.0.0.1',
      });
      expect(direct.code).toBe(0);
      expect(forward.seen).toEqual([]);
    } finally {
      await forward.stop();
    }
  });
});
