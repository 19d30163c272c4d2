import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/cli/failure.js';
import { BlobDownload } from '../../../src/registry/blob-download.js';
import { HttpExchange } from '../../../src/registry/http-exchange.js';
import { HttpTransport } from '../../../src/registry/http-transport.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../../src/registry/retry.js';

/** How the test server answers: `first` for the plain GET, `resume` for a Range request. */
type Behaviour = 'headers-then-silence' | 'silence' | 'part-then-silence';

const BLOB = Buffer.alloc(50_000, 'z');
const DIGEST = `sha256:${createHash('sha256').update(BLOB).digest('hex')}`;
const TIMEOUT_MS = 200;
const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 5 };

let server: http.Server;
let host = '';
let plan: { first: Behaviour; resume: Behaviour } = { first: 'part-then-silence', resume: 'silence' };
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests += 1;
    const behaviour = req.headers.range === undefined ? plan.first : plan.resume;
    if (behaviour === 'silence') return; // no status line, no headers
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    res.writeHead(from > 0 ? 206 : 200, {
      'Content-Length': String(BLOB.length - from),
      ...(from > 0 ? { 'Content-Range': `bytes ${from}-${BLOB.length - 1}/${BLOB.length}` } : {}),
    });
    if (behaviour === 'headers-then-silence') res.flushHeaders();
    else res.write(BLOB.subarray(from, from + 1000));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Downloads the blob from the test server; the failure line and exit code imgscope would print. */
async function download(mediaType: string): Promise<{ line: string; exitCode: number } | { bytes: number }> {
  requests = 0;
  const transport = new HttpTransport({
    caCerts: [],
    skipTlsVerify: false,
    timeoutMs: TIMEOUT_MS,
    env: {},
    userAgent: 'imgscope-test',
  });
  const exchange = new HttpExchange(transport, retry);
  const blob = new BlobDownload({
    descriptor: { mediaType, digest: DIGEST, size: BLOB.length },
    where: `${host}/repo`,
    registry: host,
    idleTimeoutMs: TIMEOUT_MS,
    retry,
    fetch: (offset) =>
      exchange.send({
        method: 'GET',
        url: new URL(`http://${host}/v2/repo/blobs/${DIGEST}`),
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
      }),
  });
  try {
    let bytes = 0;
    for await (const chunk of blob) bytes += (chunk as Buffer).length;
    return { bytes };
  } catch (err) {
    return describeFailure(err, false);
  } finally {
    exchange.close();
  }
}

const short = `${DIGEST.slice(0, 19)}…`;

describe('a blob download that stalls', () => {
  it('says the download stalled when every resume goes unanswered', async () => {
    plan = { first: 'part-then-silence', resume: 'silence' };
    // One request that stalled after 1000 bytes, then the resume's 6 silent tries.
    expect(await download('application/vnd.oci.image.layer.v1.tar+gzip')).toEqual({
      line: `imgscope: error: registry ${host}: layer ${short} download stalled at byte 1000 of 50000 (no data for 0.2 s) after 7 attempts (run again later: completed blobs are cached)`,
      exitCode: 3,
    });
    expect(requests).toBe(7);
  });

  it('says the download stalled when every resume answers and then sends nothing', async () => {
    plan = { first: 'part-then-silence', resume: 'headers-then-silence' };
    // Six requests in a row without progress: the first, which got 1000 bytes, and five resumes.
    expect(await download('application/vnd.docker.image.rootfs.diff.tar.gzip')).toEqual({
      line: `imgscope: error: registry ${host}: layer ${short} download stalled at byte 1000 of 50000 (no data for 0.2 s) after 6 attempts (run again later: completed blobs are cached)`,
      exitCode: 3,
    });
    expect(requests).toBe(6);
  });

  it('names a blob that is not a layer as a blob', async () => {
    plan = { first: 'headers-then-silence', resume: 'headers-then-silence' };
    expect(await download('application/vnd.oci.image.config.v1+json')).toEqual({
      line: `imgscope: error: registry ${host}: blob ${short} download stalled at byte 0 of 50000 (no data for 0.2 s) after 6 attempts (run again later: completed blobs are cached)`,
      exitCode: 3,
    });
  });

  it('still reports a host that never answers at all as unreachable', async () => {
    plan = { first: 'silence', resume: 'silence' };
    expect(await download('application/vnd.oci.image.layer.v1.tar+gzip')).toEqual({
      line: `imgscope: error: cannot reach ${host}: ETIMEDOUT (no answer within ${TIMEOUT_MS} ms) (check the host name, the network and HTTPS_PROXY/NO_PROXY; run again to retry)`,
      exitCode: 3,
    });
    expect(requests).toBe(6);
  });
});
