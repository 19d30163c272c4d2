import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RemoteBlob, openRemoteBlob } from '../../../src/registry/remote-blob.js';
import { readSmallBody } from '../../../src/registry/response-body.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/registry/retry.js';
import { type LoopbackServer, startLoopbackServer } from '../../helpers/loopback-server.js';

const BLOB = Buffer.from('the stored bytes of a layer blob');
const DIGEST = `sha256:${createHash('sha256').update(BLOB).digest('hex')}`;

let server: LoopbackServer;
let requests = 0;

beforeAll(async () => {
  server = await startLoopbackServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'Content-Length': String(BLOB.length) }).end(BLOB);
  });
});

afterAll(() => server.close());

function remoteBlob(timeoutMs: number): RemoteBlob {
  return {
    descriptor: {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: DIGEST,
      size: BLOB.length,
    },
    where: '127.0.0.1/app',
    registry: '127.0.0.1',
    url: `${server.base}/v2/app/blobs/${DIGEST}`,
    headers: {},
    transport: { caCerts: [], skipTlsVerify: false, timeoutMs, env: {}, userAgent: 'imgscope-test' },
    retry: DEFAULT_RETRY_POLICY,
    cache: null,
  };
}

describe('openRemoteBlob', () => {
  it("reuses the thread's connection for its next blob with the same settings, and opens another for other settings", async () => {
    const bodies: Buffer[] = [];
    for (const timeoutMs of [5_000, 5_000, 5_000, 6_000]) {
      const download = await openRemoteBlob(remoteBlob(timeoutMs));
      bodies.push(await readSmallBody(download.stream, 1024));
    }
    expect(bodies).toEqual([BLOB, BLOB, BLOB, BLOB]);
    expect([requests, server.connections]).toEqual([4, 2]);
  });
});
