import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { describeFailure } from '../../../src/cli/failure.js';
import { BlobCache } from '../../../src/registry/index.js';
import { analyzeResolved } from '../../../src/services/analyze-image.js';
import type { RegistrySourceOptions } from '../../../src/sources/registry-source.js';
import { verifiedCachedBlobs } from '../../helpers/cached-blobs.js';
import type { FaultProxy } from '../../helpers/fault-proxy.js';
import { editOciLayout } from '../../helpers/oci-surgery.js';
import {
  type WrittenImage,
  noise,
  writeTestIndexLayout,
  writeTestLayout,
} from '../../helpers/registry-images.js';
import { describeWithRegistry, useFaultProxy, useRegistryFixture } from '../../helpers/registry-suite.js';
import type { TokenIssuer } from '../../helpers/token-issuer.js';
import { registrySource } from '../../helpers/registry-source.js';

/**
 * Registry hostility (issue 7): what a registry, a token endpoint or something in between can
 * send, through the fault proxy in front of the real docker-registry. Each case must end (a
 * hang fails the test by its timeout) in one clear error with the documented exit code, and
 * leave the blob cache holding only blobs whose bytes match their names.
 */
describeWithRegistry('hostile registries', () => {
  const fixture = useRegistryFixture({ name: 'hostile' });
  const proxy = useFaultProxy(fixture);
  /** The real registry under token auth, its real issuer behind a fault proxy. */
  const tokenFixture = useRegistryFixture({
    name: 'hostile-token',
    account: { user: 'pusher', password: 'pusher-password' },
    token: { anonymousPull: true, proxied: true },
  });
  let issuer: TokenIssuer;
  let issuerProxy: FaultProxy;
  let image: WrittenImage;

  beforeAll(async () => {
    image = await fixture.pushImage(
      'img',
      { layers: [{ files: { small: 'small' } }, { files: { big: noise(600_000, 9) } }] },
      'hostile/app:1',
    );
    await writeTestIndexLayout(join(fixture.work, 'multi'), [
      { platform: { os: 'linux', architecture: 'amd64' }, layers: [{ files: { a: 'a' } }] },
      { platform: { os: 'linux', architecture: 'arm64' }, layers: [{ files: { b: 'b' } }] },
    ]);
    await fixture.pushLayout('multi', 'hostile/multi:1', ['--all']);
    // An image whose config holds a number where a command belongs: a stranger's config.
    await writeTestLayout(join(fixture.work, 'odd'), { layers: [{ files: { x: 'x' } }] });
    await editOciLayout(join(fixture.work, 'odd'), {
      config: (config) => ({ ...config, history: [{ created_by: 12345 }] }),
    });
    await fixture.pushLayout('odd', 'hostile/odd:1');
    await tokenFixture.pushImage('img', { layers: [{ files: { t: 'token' } }] }, 'hostile/app:1');
    issuer = tokenFixture.issuer!;
    issuerProxy = tokenFixture.issuerProxy!;
  });
  afterEach(() => {
    issuerProxy.reset();
    issuer.requests.length = 0;
    issuer.expiredTokensToIssue = 0;
  });

  /** Analyzes through the proxy; returns the failure line and exit code, or null on success. */
  async function analyze(
    repo: string,
    extra: Partial<RegistrySourceOptions> = {},
    host = proxy.host,
  ): Promise<{ line: string; exitCode: number } | null> {
    const source = registrySource(`${host}/hostile/${repo}`, {
      timeoutMs: 1_000,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      ...extra,
    });
    try {
      await analyzeResolved(await source.resolve({ platform: { os: 'linux', architecture: 'amd64' } }), 2);
      return null;
    } catch (err) {
      const failure = describeFailure(err, false);
      if (process.env['SHOW_FAILURES']) process.stderr.write(`${repo}: ${failure.line}\n`);
      return failure;
    } finally {
      await source.close();
    }
  }

  it('caps a redirect loop on a blob', async () => {
    proxy.fault = (req) =>
      req.path.includes('/blobs/')
        ? { status: 307, headers: { Location: `http://${proxy.host}${req.path}` } }
        : undefined;
    const failure = await analyze('app:1');
    expect(failure?.exitCode).toBe(3);
    expect(failure?.line).toMatch(/too many redirects from 127\.0\.0\.1:\d+ \(more than 10\)/);
  });

  it('refuses a token endpoint that answers garbage', async () => {
    issuerProxy.fault = () => ({
      status: 200,
      headers: { 'Content-Type': 'application/json' },
      body: '<html>\u0000{"token":',
    });
    const failure = await analyze('app:1', {}, tokenFixture.registry.host);
    expect(failure?.exitCode).toBe(3);
    expect(failure?.line).toBe(
      `imgscope: error: the token server of ${tokenFixture.registry.host} answered something that is not a token (not JSON)`,
    );
  });

  it('gives up on a token endpoint that never answers', async () => {
    issuerProxy.fault = () => ({ silence: true });
    const failure = await analyze('app:1', {}, tokenFixture.registry.host);
    expect(failure?.exitCode).toBe(3);
    expect(failure?.line).toMatch(
      new RegExp(
        `^imgscope: error: cannot reach ${issuerProxy.host}: ETIMEDOUT \\(no answer within 1000 ms\\)`,
      ),
    );
    expect(issuerProxy.requests.length).toBeGreaterThan(0);
  });

  it('stops on a 401 that keeps coming after a token', async () => {
    // Every token the real issuer signs is already expired, so the real registry refuses each.
    issuer.expiredTokensToIssue = 1_000;
    // Only this test's requests (the push in beforeAll asked for one too, if this runs first).
    issuer.requests.length = 0;
    const failure = await analyze('app:1', {}, tokenFixture.registry.host);
    expect(failure?.exitCode).toBe(3);
    expect(failure?.line).toMatch(
      new RegExp(`^imgscope: error: authentication required for ${tokenFixture.registry.host}: UNAUTHORIZED`),
    );
    // One token, one fresh token after the registry refused it, then it stops.
    expect(issuer.requests.length).toBe(2);
  });

  it('times out a blob that stalls in the middle, and caches nothing bad', async () => {
    const cacheDir = join(fixture.work, 'cache-stall');
    // The first answer stalls after 100 KB; every resume (Range) gets no answer at all.
    proxy.fault = (req) =>
      req.path.endsWith(image.layers[1]?.digest ?? '-')
        ? req.headers.range === undefined
          ? { stallAfterBytes: 100_000 }
          : { silence: true }
        : undefined;
    const failure = await analyze('app:1', { cache: new BlobCache(cacheDir) });
    const layer = image.layers[1];
    // The first request plus the resume's 6 tries (the default retry budget), all silent for 1 s.
    expect(failure?.line).toBe(
      `imgscope: error: registry ${proxy.host}: layer ${layer?.digest.slice(0, 19)}… download stalled at byte 100000 of ${layer?.size} (no data for 1 s) after 7 attempts (run again later: completed blobs are cached)`,
    );
    expect(failure?.exitCode).toBe(3);
    await verifiedCachedBlobs(cacheDir);
  });

  it('refuses a blob whose Content-Length promises more than it sends', async () => {
    const cacheDir = join(fixture.work, 'cache-long');
    const layer = image.layers[1];
    proxy.fault = (req) =>
      req.path.endsWith(layer?.digest ?? '-') ? { contentLength: (layer?.size ?? 0) + 5000 } : undefined;
    const failure = await analyze('app:1', { cache: new BlobCache(cacheDir) });
    // The body ends early; the resume asks for bytes past the blob's end, which the registry refuses.
    expect(failure?.line).toMatch(new RegExp(`answered HTTP 416 for blob ${layer?.digest} of hostile/app`));
    expect(failure?.exitCode).toBe(3);
    await verifiedCachedBlobs(cacheDir);
  });

  it('refuses a blob whose Content-Length promises less than it sends', async () => {
    const cacheDir = join(fixture.work, 'cache-short');
    const layer = image.layers[1];
    proxy.fault = (req) =>
      req.path.endsWith(layer?.digest ?? '-') ? { contentLength: (layer?.size ?? 0) - 5000 } : undefined;
    const failure = await analyze('app:1', { cache: new BlobCache(cacheDir) });
    // Read as far as the header says, the rest asked for with Range under the same lie: refused.
    expect(failure?.line).toMatch(new RegExp(`answered HTTP 416 for blob ${layer?.digest} of hostile/app`));
    expect(failure?.exitCode).toBe(3);
    await verifiedCachedBlobs(cacheDir);
  });

  it('refuses a manifest whose bytes changed from the digest it was named by', async () => {
    let manifestRequests = 0;
    proxy.fault = (req) => {
      if (!req.path.includes('/manifests/sha256:')) return undefined;
      manifestRequests += 1;
      // The child manifest, fetched by the digest the index gave: one byte of it changed.
      return { corruptByteAt: 40 };
    };
    const failure = await analyze('multi:1');
    expect(manifestRequests).toBeGreaterThan(0);
    expect(failure?.line).toMatch(
      /^imgscope: error: manifest of 127\.0\.0\.1:\d+\/hostile\/multi@sha256:[0-9a-f]{64}: digest mismatch: expected sha256:/,
    );
    // Bytes that do not match their digest are a bad image (2), wherever they come from; the
    // registry answered, so it is not a registry or network failure (3).
    expect(failure?.exitCode).toBe(2);
  });

  it('refuses a config from a registry with the wrong JSON types, as a local one', async () => {
    const failure = await analyze('odd:1');
    expect(failure?.exitCode).toBe(2);
    expect(failure?.line).toMatch(/the image config's history\[0\]\.created_by is not a string/);
  });

  it('refuses a config over the cap before downloading it, as a bad image', async () => {
    // Served by the proxy: no registry tool pushes a config this large (skopeo stops at 4 MiB).
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${'c'.repeat(64)}`,
        size: 16 * 1024 * 1024 + 1,
      },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${'d'.repeat(64)}`, size: 1 },
      ],
    };
    proxy.fault = (req) =>
      req.path.endsWith('/manifests/1')
        ? { status: 200, headers: { 'content-type': manifest.mediaType }, body: JSON.stringify(manifest) }
        : undefined;
    const failure = await analyze('bloated:1');
    expect(failure?.line).toMatch(
      /^imgscope: error: config sha256:[0-9a-f]{64} is 16777217 bytes, more than the 16777216 allowed for it$/,
    );
    expect(failure?.exitCode).toBe(2);
    expect(proxy.requests.filter((request) => request.path.includes('/blobs/'))).toEqual([]);
  });
});
