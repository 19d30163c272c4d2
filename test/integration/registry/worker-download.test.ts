import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { verifiedCachedBlobs } from '../../helpers/cached-blobs.js';
import { type WrittenImage, noise } from '../../helpers/registry-images.js';
import { describeWithRegistry, useFaultProxy, useRegistryFixture } from '../../helpers/registry-suite.js';
import { runCli } from '../../helpers/run-cli.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * A registry layer over 4 MiB that goes to a worker thread, and that the blob cache does not
 * hold, is downloaded (and cached) by that worker (src/registry/remote-blob.ts);
 * IMGSCOPE_THREADS=0 downloads everything on the main thread. Both must give the same report,
 * leave the same cache and fail the same way.
 */
describeWithRegistry('registry layers downloaded by worker threads', () => {
  const fixture = useRegistryFixture({ name: 'worker-download' });
  const proxy = useFaultProxy(fixture);
  let image: WrittenImage;

  beforeAll(async () => {
    // Noise does not compress: each big layer stays above the 4 MiB a layer needs to go to a worker.
    image = await fixture.pushImage(
      'img',
      {
        layers: [
          { files: { 'opt/one.bin': noise(5_000_000, 1) } },
          { files: { 'etc/os-release': 'ID=test\n' } },
          { files: { 'opt/two.bin': noise(5_000_000, 2), 'opt/one.bin': noise(5_000_000, 1) } },
        ],
      },
      'workers/app:1',
    );
  });

  const bigBlobs = (): Set<string> =>
    new Set(
      image.layers
        .filter((layer) => layer.gz.length > 4 * 1024 * 1024)
        .map((layer) => `/v2/workers/app/blobs/${layer.digest}`),
    );

  function analyze(env: Record<string, string> = {}, flags = ['--no-cache']) {
    return runCli(['analyze', `${proxy.host}/workers/app:1`, '--json', ...flags], {
      ...fixture.cliEnv(),
      ...env,
    });
  }

  it('gives the report the main thread gives, the worker downloading one large layer itself', async () => {
    expect(bigBlobs().size).toBe(2);
    const threaded = await analyze({ DEBUG: 'imgscope:layers' });
    expect(threaded.code).toBe(0);
    expect(threaded.stderr.match(/layer \d downloaded by a worker thread/g)).toHaveLength(1);
    // A download's spent buffers are freed on Node's and V8's threads: they keep their priority.
    expect(threaded.stderr).not.toMatch(/helper threads lowered/);
    const single = await analyze({ IMGSCOPE_THREADS: '0' });
    expect(single.stderr).toBe('');
    expect(threaded.stdout).toBe(single.stdout);
    const report = JSON.parse(threaded.stdout) as { efficiency: { wastedBytes: number } };
    expect(report.efficiency.wastedBytes).toBe(10_000_000);
  });

  it('resumes a worker download cut in the middle with a Range request', async () => {
    const reference = await analyze({ IMGSCOPE_THREADS: '0' });
    proxy.requests.length = 0;
    const big = bigBlobs();
    const cut = new Set<string>();
    proxy.fault = (req) => {
      if (!big.has(req.path) || cut.has(req.path)) return undefined;
      cut.add(req.path);
      return { resetAfterBytes: 1_000_000 };
    };
    const threaded = await analyze();
    expect(threaded.stderr).toBe('');
    expect(threaded.stdout).toBe(reference.stdout);
    const ranges = proxy.requests.filter((r) => big.has(r.path)).map((r) => r.headers.range ?? null);
    expect(ranges.filter((range) => range === null)).toHaveLength(2);
    expect(ranges.filter((range) => range !== null && /^bytes=\d+-$/.test(range))).toHaveLength(2);
  });

  it("hands a refused download (a 401 the worker cannot answer) to the main thread's client", async () => {
    const reference = await analyze({ IMGSCOPE_THREADS: '0' });
    proxy.requests.length = 0;
    const big = bigBlobs();
    const refused = new Set<string>();
    proxy.fault = (req) => {
      if (!big.has(req.path) || refused.has(req.path)) return undefined;
      refused.add(req.path);
      return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="test"' } };
    };
    const threaded = await analyze({ DEBUG: 'imgscope:layers' });
    expect(threaded.code).toBe(0);
    expect(threaded.stderr).toMatch(
      /layer \d: the registry refused the worker's download; fetched on the main thread/,
    );
    expect(threaded.stdout).toBe(reference.stdout);
    // Each big blob: refused once, then fetched whole.
    expect(proxy.requests.filter((r) => big.has(r.path))).toHaveLength(4);
  });

  it('fails a corrupted worker download with the one line the main thread gives', async () => {
    const big = bigBlobs();
    proxy.fault = (req) => (big.has(req.path) ? { corruptByteAt: 4_000_000 } : undefined);
    const threaded = await analyze();
    const single = await analyze({ IMGSCOPE_THREADS: '0' });
    expect(threaded.code).toBe(2);
    expect(single.code).toBe(2);
    expect(threaded.stderr).toMatch(
      /^imgscope: error: blob from 127\.0\.0\.1:\d+\/workers\/app: digest mismatch/,
    );
    expect(threaded.stderr.split('\n')).toHaveLength(2);
    expect(single.stderr.split('\n')).toHaveLength(2);
    // Into the cache: nothing of the bad blobs is kept, not even a partial file.
    const cacheRoot = await tempDir('imgscope-worker-download-bad-');
    const cached = await analyze({ XDG_CACHE_HOME: cacheRoot }, []);
    expect(cached.code).toBe(2);
    const kept = await readdir(join(cacheRoot, 'imgscope', 'blobs', 'sha256')).catch(() => [] as string[]);
    for (const path of big) expect(kept).not.toContain(path.slice(path.lastIndexOf(':') + 1));
    expect(await readdir(join(cacheRoot, 'imgscope', 'tmp')).catch(() => [] as string[])).toEqual([]);
  });

  it('caches what a worker downloads, each blob under its digest, and reads it from there next time', async () => {
    const reference = await analyze({ IMGSCOPE_THREADS: '0' });
    const cacheRoot = await tempDir('imgscope-worker-download-cache-');
    const cold = await analyze({ XDG_CACHE_HOME: cacheRoot, DEBUG: 'imgscope:layers' }, []);
    expect(cold.code).toBe(0);
    expect(cold.stderr.match(/layer \d downloaded by a worker thread/g)).toHaveLength(1);
    expect(cold.stdout).toBe(reference.stdout);
    const names = await verifiedCachedBlobs(join(cacheRoot, 'imgscope'));
    for (const layer of image.layers) expect(names).toContain(layer.digest.slice('sha256:'.length));
    expect(await readdir(join(cacheRoot, 'imgscope', 'tmp'))).toEqual([]);

    // Blobs cached, layer results not: the layers are read again, from the cache, no blob downloaded.
    await rm(join(cacheRoot, 'imgscope', 'layers'), { recursive: true });
    proxy.requests.length = 0;
    const warm = await analyze({ XDG_CACHE_HOME: cacheRoot, DEBUG: 'imgscope:layers' }, []);
    expect(warm.stdout).toBe(reference.stdout);
    expect(warm.stderr).not.toMatch(/downloaded by a worker thread/);
    expect(proxy.requests.filter((r) => r.path.includes('/blobs/'))).toEqual([]);
  });
});
