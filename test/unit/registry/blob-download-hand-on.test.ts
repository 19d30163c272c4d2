import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type BlobDownload, createBlobDownload } from '../../../src/registry/blob-download.js';
import { DEFAULT_RETRY_POLICY } from '../../../src/registry/retry.js';

describe('what a blob download hands on', () => {
  const chunks = [Buffer.from('first chunk, '), Buffer.from('second chunk, '), Buffer.from('last chunk')];
  const blob = Buffer.concat(chunks);

  /** A download of `body`'s chunks (one answer) checked against the descriptor of `blob`. */
  function download(body: Buffer[]): BlobDownload {
    return createBlobDownload({
      descriptor: {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: `sha256:${createHash('sha256').update(blob).digest('hex')}`,
        size: blob.length,
      },
      where: '127.0.0.1/app',
      registry: '127.0.0.1',
      idleTimeoutMs: 1000,
      retry: DEFAULT_RETRY_POLICY,
      fetch: () =>
        Promise.resolve({
          status: 200,
          headers: {},
          body: Readable.from(body),
          url: new URL('http://127.0.0.1/'),
        }),
    });
  }

  /** The chunks a consumer received ('data' events: a read() would join what is buffered), and how the stream ended. */
  function consume(stream: BlobDownload): Promise<{ received: string[]; error: unknown }> {
    const received: string[] = [];
    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => received.push(chunk.toString()));
      stream.once('end', () => resolve({ received, error: null }));
      stream.once('error', (error) => resolve({ received, error }));
    });
  }

  it('hands every chunk on as it came, without gathering or copying them', async () => {
    expect(await consume(download(chunks))).toEqual({
      received: ['first chunk, ', 'second chunk, ', 'last chunk'],
      error: null,
    });
  });
});
