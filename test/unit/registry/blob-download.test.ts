import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/cli/failure.js';
import { type FaultAction, type FaultProxy, startFaultProxy } from '../../helpers/fault-proxy.js';
import { type RegistryFixture, startRegistryFixture } from '../../helpers/registry-fixture.js';
import { type WrittenImage, noise } from '../../helpers/registry-images.js';
import { registryTestsSkipReason } from '../../helpers/registry-server.js';
import { readAll, registrySource } from '../../helpers/registry-source.js';

/**
 * Blob downloads that stall, through the fault proxy in front of the real docker-registry: what
 * imgscope says and how often it asks again. The timeout is the client's own (--timeout); the
 * proxy's silences are endless, so no timing of the machine decides an outcome.
 */
const skip = registryTestsSkipReason();
const TIMEOUT_MS = 1000;

/** What the proxy does with a blob request: `first` for the plain GET, `resume` for a Range request. */
type Behaviour = 'headers-then-silence' | 'silence' | 'part-then-silence';

const ACTIONS: Record<Behaviour, FaultAction> = {
  'headers-then-silence': { stallAfterBytes: 0 },
  silence: { silence: true },
  'part-then-silence': { stallAfterBytes: 1000 },
};

describe.skipIf(skip !== null)('a blob download that stalls', () => {
  let fixture: RegistryFixture;
  let proxy: FaultProxy;
  let image: WrittenImage;

  beforeAll(async () => {
    fixture = await startRegistryFixture({ name: 'stall' });
    image = await fixture.pushImage(
      'img',
      { layers: [{ files: { blob: noise(50_000, 5) } }] },
      'stall/oci:1',
    );
    await fixture.pushLayout('img', 'stall/docker:1', ['--format', 'v2s2']);
    proxy = await startFaultProxy(fixture.registry.host);
  });
  afterEach(() => {
    proxy.fault = () => undefined;
    proxy.requests.length = 0;
  });
  afterAll(async () => {
    await proxy?.stop();
    await fixture?.stop();
  });

  /** Stalls requests for the blob `digest` as planned; returns how many the proxy saw. */
  function plan(digest: string, first: Behaviour, resume: Behaviour): () => number {
    const path = (p: string): boolean => p.endsWith(`/blobs/${digest}`);
    proxy.fault = (req) =>
      path(req.path) ? ACTIONS[req.headers.range === undefined ? first : resume] : undefined;
    return () => proxy.requests.filter((r) => path(r.path)).length;
  }

  /** Resolves and reads the first layer of `repo`; the failure line and exit code imgscope would print. */
  async function download(repo: string): Promise<{ line: string; exitCode: number } | { bytes: number }> {
    const source = registrySource(`${proxy.host}/${repo}`, {
      timeoutMs: TIMEOUT_MS,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      const resolved = await source.resolve({});
      return { bytes: (await readAll(await resolved.layers[0]!.open())).length };
    } catch (err) {
      return describeFailure(err, false);
    } finally {
      await source.close();
    }
  }

  const layer = (): WrittenImage['layers'][number] => image.layers[0]!;
  const short = (digest: string): string => `${digest.slice(0, 19)}…`;

  it('says the download stalled when every resume goes unanswered', async () => {
    const seen = plan(layer().digest, 'part-then-silence', 'silence');
    // One request that stalled after 1000 bytes, then the resume's 6 silent tries.
    expect(await download('stall/oci:1')).toEqual({
      line: `imgscope: error: registry ${proxy.host}: layer ${short(layer().digest)} download stalled at byte 1000 of ${layer().size} (no data for 1 s) after 7 attempts (run again later: completed blobs are cached)`,
      exitCode: 3,
    });
    expect(seen()).toBe(7);
  });

  it('says the download stalled when every resume answers and then sends nothing', async () => {
    const manifest = (await fetch(`http://${fixture.registry.host}/v2/stall/docker/manifests/1`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    }).then((r) => r.json())) as { layers: { mediaType: string; digest: string; size: number }[] };
    const docker = manifest.layers[0]!;
    expect(docker.mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
    const seen = plan(docker.digest, 'part-then-silence', 'headers-then-silence');
    // Six requests in a row without progress: the first, which got 1000 bytes, and five resumes.
    expect(await download('stall/docker:1')).toEqual({
      line: `imgscope: error: registry ${proxy.host}: layer ${short(docker.digest)} download stalled at byte 1000 of ${docker.size} (no data for 1 s) after 6 attempts (run again later: completed blobs are cached)`,
      exitCode: 3,
    });
    expect(seen()).toBe(6);
  });

  it('names a blob that is not a layer (the config) as a blob', async () => {
    const size = (
      await fetch(`http://${fixture.registry.host}/v2/stall/oci/blobs/${image.configDigest}`).then((r) =>
        r.arrayBuffer(),
      )
    ).byteLength;
    const seen = plan(image.configDigest, 'headers-then-silence', 'headers-then-silence');
    expect(await download('stall/oci:1')).toEqual({
      line: `imgscope: error: registry ${proxy.host}: blob ${short(image.configDigest)} download stalled at byte 0 of ${size} (no data for 1 s) after 6 attempts (run again later: completed blobs are cached)`,
      exitCode: 3,
    });
    expect(seen()).toBe(6);
  });

  it('still reports a host that never answers at all as unreachable', async () => {
    const seen = plan(layer().digest, 'silence', 'silence');
    expect(await download('stall/oci:1')).toEqual({
      line: `imgscope: error: cannot reach ${proxy.host}: ETIMEDOUT (no answer within ${TIMEOUT_MS} ms) (check the host name, the network and HTTPS_PROXY/NO_PROXY; run again to retry)`,
      exitCode: 3,
    });
    expect(seen()).toBe(6);
  });

  it('reads the whole blob when nothing stalls (the control)', async () => {
    const seen = plan(layer().digest, 'part-then-silence', 'silence');
    proxy.fault = () => undefined;
    expect(await download('stall/oci:1')).toEqual({ bytes: layer().size });
    expect(seen()).toBe(1);
  });
});
