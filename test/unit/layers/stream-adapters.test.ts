import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DigestMismatchError, InputFormatError } from '../../../src/errors.js';
import { digestCheck, DigestVerifier } from '../../../src/layers/digest-check.js';
import { type ChunkConsumer, consumerStream, watchingStream } from '../../../src/layers/stream-adapters.js';

/** A consumer that keeps what it is given, and throws where told to. */
function recorder(fail: { take?: string; end?: string } = {}): ChunkConsumer & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    take(chunk) {
      if (fail.take !== undefined && chunk.toString() === fail.take) throw new InputFormatError('bad chunk');
      seen.push(chunk.toString());
    },
    end() {
      seen.push('<end>');
      if (fail.end !== undefined) throw new InputFormatError(fail.end);
    },
  };
}

const chunks = (): Readable => Readable.from(['ab', 'cd', 'ef'].map((text) => Buffer.from(text)));

describe('stream adapters', () => {
  it('hand each chunk and the end to the consumer; a watching stream passes the chunks on unchanged', async () => {
    const watcher = recorder();
    const sink = recorder();
    await pipeline(chunks(), watchingStream(watcher), consumerStream(sink));
    expect(watcher.seen).toEqual(['ab', 'cd', 'ef', '<end>']);
    expect(sink.seen).toEqual(['ab', 'cd', 'ef', '<end>']);
  });

  it('fail the pipeline with what the consumer throws, from a chunk or from the end', async () => {
    await expect(pipeline(chunks(), consumerStream(recorder({ take: 'cd' })))).rejects.toThrow('bad chunk');
    await expect(pipeline(chunks(), consumerStream(recorder({ end: 'cut short' })))).rejects.toThrow(
      'cut short',
    );
    const sink = recorder();
    await expect(
      pipeline(chunks(), watchingStream(recorder({ take: 'cd' })), consumerStream(sink)),
    ).rejects.toThrow('bad chunk');
    expect(sink.seen).toEqual(['ab']);
    await expect(
      pipeline(chunks(), watchingStream(recorder({ end: 'late' })), consumerStream(recorder())),
    ).rejects.toThrow('late');
  });

  it('check a digest in a pipeline: the bytes pass where it matches, the stream fails where it does not', async () => {
    const digest = `sha256:${createHash('sha256').update('abcdef').digest('hex')}`;
    const sink = recorder();
    await pipeline(chunks(), digestCheck(new DigestVerifier('blob', digest, 6)), consumerStream(sink));
    expect(sink.seen).toEqual(['ab', 'cd', 'ef', '<end>']);
    const other = `sha256:${'0'.repeat(64)}`;
    await expect(
      pipeline(chunks(), digestCheck(new DigestVerifier('blob', other, 6)), consumerStream(recorder())),
    ).rejects.toBeInstanceOf(DigestMismatchError);
  });
});
