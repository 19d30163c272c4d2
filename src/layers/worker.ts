/**
 * A layer-reading worker thread (started by LayerReader, through worker-start.ts where built):
 * reads one layer at a time, from a file region it opens itself, a registry blob it downloads
 * itself, or chunks the main thread forwards, with every check of `readLayer`, and hands the
 * result back encoded as one transferable ArrayBuffer. Once the layers are read, an idle worker
 * may count dive's waste for the analysis (a `dive-waste` job), and before that hash the bodies a
 * read deferred that the merge compares (a `body-hashes` job).
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { countDiveWaste } from '../analysis/dive-waste.js';
import { CONTENT_HASH_BYTES } from '../model/index.js';
import type { RemoteDownload } from '../registry/index.js';
import { hashRegionBodies } from './deferred-bodies.js';
import { encodeLayerContents } from './layer-contents-codec.js';
import { readLayer } from './read-layer.js';
import { regionDigest } from './region-digest.js';
import {
  readOptionsOf,
  reviveError,
  serializeError,
  type BodyHashJob,
  type DigestJob,
  type DiveWasteJob,
  type FileRegion,
  type FromWorker,
  type LayerJob,
  type ReadJob,
  type ToWorker,
} from './worker-protocol.js';

/** As the sources read archives (src/sources/archive-files.ts). */
const READ_CHUNK_BYTES = 256 * 1024;
/** Downloaded bytes are reported (for progress) in steps of this much, not per chunk. */
const REPORT_STEP_BYTES = 1024 * 1024;

interface Running {
  /** Chunks from the main thread; null when the worker reads a file region. */
  inbound: Readable | null;
  abort: AbortController;
  /** Chunk bytes pushed but not yet acknowledged (the main thread's window). */
  unacknowledged: number;
}

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

const running = new Map<number, Running>();

/**
 * Serves the LayerReader's jobs on this worker thread. `onFirstRead` runs once, when the first
 * layer is read and before its result is posted (the main thread may stop this thread as soon as
 * it has every result): worker-start.ts keeps the code compiled by then.
 */
export function serveLayerJobs(onFirstRead: (() => void) | null = null): void {
  const port = parentPort;
  if (port === null) throw new Error('the layer worker runs as a worker thread of LayerReader');
  let first = onFirstRead;
  const beforeResult = (): void => {
    first?.();
    first = null;
  };
  const listen = (): void => {
    port.on('message', (message: ToWorker) => onMessage(message, beforeResult));
  };
  // This thread's own debug logs (a download's proxy agent, its requests) are masked as the
  // main thread's are: its `debug` is another instance, which the main thread's setting misses.
  // Loaded only then (`debug` loads `tty` and `net`: 5 ms of a worker's start), and jobs wait
  // for it: the port keeps their messages until it is listened to.
  if (process.env['DEBUG'])
    void import('../registry/debug-output.js').then(({ redactDebugOutput }) => {
      redactDebugOutput();
      listen();
    });
  else listen();
}

function onMessage(message: ToWorker, beforeResult: () => void): void {
  if (message.kind === 'job') {
    void run(message.job, beforeResult);
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
}

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

function run(job: LayerJob, beforeResult: () => void): Promise<void> {
  switch (job.kind) {
    case 'digest':
      return runDigest(job);
    case 'dive-waste':
      runDiveWaste(job);
      return Promise.resolve();
    case 'body-hashes':
      runBodyHashes(job);
      return Promise.resolve();
    case 'read':
      return runRead(job, beforeResult);
  }
}

/** dive's counts, handed back in buffers this thread gives up (they are not copied). */
function runDiveWaste(job: DiveWasteJob): void {
  try {
    const waste = countDiveWaste(job.input);
    post({ kind: 'dive-waste', id: job.id, waste }, [
      waste.ids.buffer,
      waste.counts.buffer,
      waste.wastedBytes.buffer,
    ]);
  } catch (err) {
    post({ kind: 'failed', id: job.id, error: serializeError(err) });
  }
}

/** The deferred bodies' hashes, one after another in a buffer this thread gives up. */
function runBodyHashes(job: BodyHashJob): void {
  try {
    const digests = new Uint8Array(job.bodies.length * CONTENT_HASH_BYTES);
    hashRegionBodies(job.region, job.contentKey, job.before, job.bodies).forEach((digest, body) =>
      digests.set(digest, body * CONTENT_HASH_BYTES),
    );
    post({ kind: 'body-hashes', id: job.id, digests }, [digests.buffer]);
  } catch (err) {
    post({ kind: 'failed', id: job.id, error: serializeError(err) });
  }
}

async function runDigest(job: DigestJob): Promise<void> {
  const abort = new AbortController();
  running.set(job.id, { inbound: null, abort, unacknowledged: 0 });
  try {
    post({ kind: 'digest', id: job.id, digest: await regionDigest(job.region, abort.signal) });
  } catch (err) {
    post({ kind: 'failed', id: job.id, error: serializeError(err) });
  } finally {
    running.delete(job.id);
  }
}

async function runRead(job: ReadJob, beforeResult: () => void): Promise<void> {
  const inbound = job.region === null && job.remote === null ? inboundStream(job.id) : null;
  const abort = new AbortController();
  running.set(job.id, { inbound, abort, unacknowledged: 0 });
  // Set by `open` (a closure, which TypeScript's narrowing does not follow into).
  const remote: { download: RemoteDownload | null } = { download: null };
  let unreported = 0;
  const report = (): void => {
    if (unreported > 0) post({ kind: 'received', id: job.id, bytes: unreported });
    unreported = 0;
  };
  const received = (bytes: number): void => {
    unreported += bytes;
    if (unreported >= REPORT_STEP_BYTES) report();
  };
  const open = async (): Promise<Readable> => {
    if (job.region !== null) return openRegion(job.region);
    if (job.remote === null) return inbound as Readable;
    // Loaded by the first download: a worker reading files needs no HTTP client.
    const { openRemoteBlob } = await import('../registry/index.js');
    remote.download = await openRemoteBlob(job.remote, job.reportBytes ? received : undefined);
    return remote.download.stream;
  };
  try {
    const contents = await readLayer({ open, region: job.region }, readOptionsOf(job, abort.signal));
    report();
    const buffer = encodeLayerContents(contents);
    beforeResult();
    post({ kind: 'done', id: job.id, contents: buffer }, [buffer]);
  } catch (err) {
    report();
    // Its end (a cache's temporary file removed) before the answer: the reader may stop this thread then.
    const stream = remote.download?.stream;
    if (stream !== undefined && !stream.closed) {
      const closed = once(stream, 'close');
      stream.destroy();
      await closed;
    }
    // The registry's refusal is the main thread's to explain (and perhaps to get past).
    if (remote.download?.refused === true) post({ kind: 'refused', id: job.id });
    else post({ kind: 'failed', id: job.id, error: serializeError(err) });
  } finally {
    running.delete(job.id);
  }
}
