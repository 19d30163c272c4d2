/**
 * A layer-reading worker thread (started by LayerReader): reads one layer at a time, from a file
 * region it opens itself or from chunks the main thread forwards, with every check of
 * `readLayer`, and hands the result back encoded as one transferable ArrayBuffer.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { encodeLayerContents } from './layer-contents-codec.js';
import { readLayer } from './read-layer.js';
import {
  reviveError,
  serializeError,
  type FileRegion,
  type FromWorker,
  type LayerJob,
  type ToWorker,
} from './worker-protocol.js';

/** As the sources read archives (src/sources/archive-files.ts). */
const READ_CHUNK_BYTES = 256 * 1024;

interface Running {
  /** Chunks from the main thread; null when the worker reads a file region. */
  inbound: Readable | null;
  abort: AbortController;
  /** Chunk bytes pushed but not yet acknowledged (the main thread's window). */
  unacknowledged: number;
}

const port = parentPort;
if (port === null) throw new Error('worker.js runs as a worker thread of LayerReader');
const running = new Map<number, Running>();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

port.on('message', (message: ToWorker) => {
  if (message.kind === 'job') {
    void run(message.job);
    return;
  }
  const job = running.get(message.id);
  if (job === undefined) return;
  switch (message.kind) {
    case 'chunk':
      job.unacknowledged += message.bytes.byteLength;
      job.inbound?.push(
        Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength),
      );
      break;
    case 'end':
      job.inbound?.push(null);
      break;
    case 'source-error':
      job.inbound?.destroy(reviveError(message.error));
      break;
    case 'abort':
      job.abort.abort();
      // The reader may still be waiting for the first bytes, before its pipeline watches the signal.
      job.inbound?.destroy(new Error('the read was stopped'));
      break;
  }
});

function openRegion(region: FileRegion): Readable {
  // createReadStream cannot express an empty range (its end is inclusive).
  if (region.length === 0) return Readable.from([]);
  return createReadStream(region.path, {
    start: region.offset,
    end: region.offset + region.length - 1,
    highWaterMark: READ_CHUNK_BYTES,
  });
}

/** A stream of the chunks the main thread sends; each read acknowledges what was taken. */
function inboundStream(id: number): Readable {
  return new Readable({
    read() {
      const job = running.get(id);
      if (job === undefined || job.unacknowledged === 0) return;
      post({ kind: 'consumed', id, bytes: job.unacknowledged });
      job.unacknowledged = 0;
    },
  });
}

async function run(job: LayerJob): Promise<void> {
  const inbound = job.region === null ? inboundStream(job.id) : null;
  const abort = new AbortController();
  running.set(job.id, { inbound, abort, unacknowledged: 0 });
  try {
    const region = job.region;
    const contents = await readLayer(
      { open: async () => (region === null ? (inbound as Readable) : openRegion(region)), region },
      {
        label: job.label,
        digest: job.digest,
        size: job.size,
        diffId: job.diffId,
        contentKey: job.contentKey,
        signal: abort.signal,
      },
    );
    const buffer = encodeLayerContents(contents);
    post({ kind: 'done', id: job.id, contents: buffer }, [buffer]);
  } catch (err) {
    post({ kind: 'failed', id: job.id, error: serializeError(err) });
  } finally {
    running.delete(job.id);
  }
}
