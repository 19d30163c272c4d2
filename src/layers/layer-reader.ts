import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import createDebug from 'debug';
import pLimit, { type LimitFunction } from 'p-limit';
import type { DeferredBody } from '../analysis/compared-bodies.js';
import type { DiveWaste, DiveWasteInput } from '../analysis/dive-waste.js';
import { ImgscopeError } from '../errors.js';
import { CONTENT_HASH_BYTES, type EntryTable, type LayerContents } from '../model/index.js';
import type { RemoteBlob } from '../registry/index.js';
import { builtFileUrl } from './built-file-url.js';
import type { ContentKey } from './content-key.js';
import { hashRegionBodies, regionBodyHasher } from './deferred-bodies.js';
import { fileState, type FileState } from './file-state.js';
import { decodeLayerContents } from './layer-contents-codec.js';
import { readLayer, type LayerInput, type LayerReadOptions } from './read-layer.js';
import { regionDigest } from './region-digest.js';
import {
  readOptionsOf,
  reviveError,
  serializeError,
  type DigestJob,
  type BodyHashJob,
  type DiveWasteJob,
  type FileRegion,
  type FromWorker,
  type ReadJob,
  type ToWorker,
} from './worker-protocol.js';

/**
 * A layer's input as the reader takes it: besides the stream and the file region, how a worker
 * downloads the bytes itself when they are a registry blob.
 */
export interface LayerReaderInput extends LayerInput {
  /** Null when the bytes are to be read through `open` after all. */
  remote?: (() => Promise<RemoteLayer | null>) | undefined;
}

/** A registry blob a worker downloads itself, and the source's progress callbacks for it. */
export interface RemoteLayer {
  blob: RemoteBlob;
  onBytes?: (bytes: number) => void;
  onEnd?: () => void;
}

export interface LayerReaderOptions {
  /**
   * Worker threads at most; 0 reads every layer on the calling thread. Default: one per core but
   * one, since the calling thread reads a large layer too while every worker is busy.
   */
  threads?: number;
  /** Layers read at once on the calling thread (small ones, or all with no threads). */
  concurrency: number;
  /** Layers whose stored size is known and at most this are read on the calling thread. */
  inProcessMaxBytes?: number;
  /**
   * Whether the calling thread reads one large layer itself (default true): an image of one
   * large layer then starts no worker and pays no encoding. Tests of the workers turn it off.
   */
  callingThreadReads?: boolean;
}

/** `DEBUG=imgscope:layers` also says which layers a worker downloads itself. */
const debug = createDebug('imgscope:layers');

/**
 * Below this a worker's start (a fresh V8 isolate and the reader's modules) costs more than the
 * layer: a small image is read entirely on the main thread and starts no worker at all.
 */
export const IN_PROCESS_MAX_BYTES = 4 * 1024 * 1024;
/**
 * A worker's young generation (V8's default is 16 MiB per semi-space): the reader's garbage is
 * short-lived chunks, and a small nursery keeps each worker's resident memory down.
 */
const YOUNG_GENERATION_MB = 4;
/** How long `close` waits for a busy worker to finish an aborted read. */
const CLOSE_GRACE_MS = 1000;
/** Chunk bytes forwarded to a worker and not yet taken off its queue: the backpressure window. */
const WINDOW_BYTES = 8 * 1024 * 1024;
/**
 * Above this many entries dive's count stays on the calling thread: the worker's copy of the
 * stack (about 40 bytes an entry) and its own arrays would add to the peak memory of a
 * million-entry image, whose count the merge does not hide anyway.
 */
const OFFLOAD_MAX_ENTRIES = 250_000;

/**
 * The number of worker threads to use: IMGSCOPE_THREADS when set, else one per core but one (the
 * calling thread is the last reader: one V8 isolate fewer, about 10 MiB of resident memory).
 */
function defaultThreads(): number {
  const configured = process.env['IMGSCOPE_THREADS'];
  if (configured !== undefined && /^\d+$/.test(configured)) return Number(configured);
  return availableParallelism() - 1;
}

/**
 * The worker thread. From dist/ as built, worker-start.cjs (scripts/bundle-worker.js): the worker
 * in one classic script run with V8's code cache; from a bare build (tsc alone), the ES module.
 * From the sources (tests run them) the worker is TypeScript and is loaded through tsx, which
 * registers itself in that thread first.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    const options = { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } };
    const start = builtFileUrl(import.meta.url, 'layers/worker-start.cjs');
    if (existsSync(start)) return new Worker(start, options);
    const module = builtFileUrl(import.meta.url, 'layers/worker.js');
    return new Worker(bootstrap(module), options);
  }
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  );
  const entry = new URL('../layers/worker.ts', import.meta.url);
  return new Worker(bootstrap(entry, `import { register } from '${tsx.href}'; register();`));
}

/** An ES module that imports the worker module at `entry` (after `before`) and serves jobs. */
function bootstrap(entry: URL, before = ''): URL {
  const code = `${before} const { serveLayerJobs } = await import('${entry.href}'); serveLayerJobs();`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** A plain layer's file region, as a read with deferred hashes found it (`LayerReader.hashBodies`). */
interface BodySource {
  region: FileRegion;
  contentKey: ContentKey;
  before: FileState;
}

/** `bodies` by the table they are entries of. */
function byTable(bodies: readonly DeferredBody[]): Map<EntryTable, DeferredBody[]> {
  const tables = new Map<EntryTable, DeferredBody[]>();
  for (const body of bodies) {
    const list = tables.get(body.table);
    if (list === undefined) tables.set(body.table, [body]);
    else list.push(body);
  }
  return tables;
}

/** Where each body lies in its layer's tar, as `hashRegionBodies` takes them: `[offset, length]`. */
function spans(bodies: readonly DeferredBody[]): [number, number][] {
  return bodies.map(({ table, index, offset }) => [offset, table.size(index)]);
}

/** Whether a read was stopped (a function: TypeScript keeps no narrowing of `aborted` across an await). */
function stopped(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** A job queued or running: a layer's read, or (a digest-only job) its region's sha256. */
type QueuedJob = PendingRead | PendingDigest;
/**
 * A job running on a worker: one from the queue, or one given to an idle worker once the layers
 * are read, never queued: dive's count (`countDiveWaste`), deferred bodies' hashes (`hashBodies`).
 */
type PendingJob = QueuedJob | PendingDiveWaste | PendingBodyHashes;

interface PendingRead extends Pending {
  kind: 'read';
  job: ReadJob;
  input: LayerReaderInput;
  resolve: (contents: LayerContents) => void;
}

interface PendingDigest extends Pending {
  kind: 'digest';
  job: DigestJob;
  resolve: (digest: string) => void;
}

interface PendingBodyHashes extends Pending {
  kind: 'body-hashes';
  job: BodyHashJob;
  resolve: (digests: Uint8Array) => void;
}

interface PendingDiveWaste extends Pending {
  kind: 'dive-waste';
  job: DiveWasteJob;
  resolve: (waste: DiveWaste) => void;
}

interface Pending {
  /** The stored bytes when known (the queue's order), else null. */
  bytes: number | null;
  signal: AbortSignal | undefined;
  reject: (err: unknown) => void;
}

interface Thread {
  worker: Worker;
  job: PendingJob | null;
  /** The forwarded stream of the current job, paused while the window is full. */
  source: Readable | null;
  /** The download the worker makes itself for the current job, if it does. */
  remote: RemoteLayer | null;
  inFlight: number;
  /** The source stream's own error: the truer answer than the worker's report of it. */
  sourceError: unknown;
  /** Called when the current job settles (`close` waits for it). */
  idle: (() => void) | null;
}

/**
 * Reads layers on both cores: each large layer goes whole to a worker thread (decompress, verify,
 * hash, parse), which hands back the compact entry tables through the layer-contents codec; the
 * calling thread reads one large layer itself whenever it is free (so an image of one large layer
 * starts no worker), forwards bytes that are not in a local file, and merges results. Every check of `readLayer` runs either way,
 * and the result is the same.
 */
export class LayerReader {
  readonly #threads: Thread[] = [];
  readonly #queue: QueuedJob[] = [];
  readonly #maxThreads: number;
  readonly #inProcessMaxBytes: number;
  readonly #limit: LimitFunction;
  #nextId = 0;
  #closed = false;
  /** Whether a dispatch is due on the next turn of the event loop (see `#dispatchSoon`). */
  #dispatchDue = false;
  /** Small layers to start on this thread at that dispatch. */
  readonly #small: (() => void)[] = [];
  /** Whether the calling thread is reading a large layer itself (it takes one whenever it is free). */
  #readingHere: boolean;
  /** Where the bodies of each table read with deferred hashes can be read again. */
  readonly #bodySources = new WeakMap<EntryTable, BodySource>();
  #layersRead = 0;

  constructor(options: LayerReaderOptions) {
    this.#maxThreads = options.threads ?? defaultThreads();
    this.#inProcessMaxBytes = options.inProcessMaxBytes ?? IN_PROCESS_MAX_BYTES;
    this.#limit = pLimit(Math.max(1, options.concurrency));
    // Marked busy for good when it must not read: the workers take everything.
    this.#readingHere = options.callingThreadReads === false;
  }

  /** How many layers `read` was asked to read (decompress, check and parse), failed reads included. */
  get layersRead(): number {
    return this.#layersRead;
  }

  read(input: LayerReaderInput, options: LayerReadOptions): Promise<LayerContents> {
    this.#layersRead++;
    const region = options.deferBodyHashes === true ? input.region : null;
    // The file as it is before the read: deferred bodies are hashed from it only while it is so.
    const before = region === null ? null : fileState(region.path);
    if (region === null || before === null) return this.#read(input, { ...options, deferBodyHashes: false });
    return this.#read(input, options).then((contents) => {
      const { entries } = contents;
      if (entries.hasDeferredContent()) {
        entries.hashDeferredBodiesWith(regionBodyHasher(region, options.contentKey, before));
        this.#bodySources.set(entries, { region, contentKey: options.contentKey, before });
      }
      return contents;
    });
  }

  /**
   * Hashes the deferred bodies `bodies` now (the merge is about to compare them): about half of
   * their bytes on an idle worker, the rest on this thread meanwhile, where it would otherwise
   * hash them all, one after another, as the merge asks.
   */
  async hashBodies(bodies: readonly DeferredBody[]): Promise<void> {
    const thread = this.#closed ? undefined : this.#threads.find((candidate) => candidate.job === null);
    const here: DeferredBody[] = [];
    const there: DeferredBody[] = [];
    let hereBytes = 0;
    let thereBytes = 0;
    const largestFirst = [...bodies].sort((a, b) => b.table.size(b.index) - a.table.size(a.index));
    for (const body of largestFirst) {
      const bytes = body.table.size(body.index);
      if (thread !== undefined && thereBytes < hereBytes && this.#bodySources.has(body.table)) {
        there.push(body);
        thereBytes += bytes;
      } else {
        here.push(body);
        hereBytes += bytes;
      }
    }
    const away = thread === undefined ? Promise.resolve() : this.#hashThere(thread, there);
    try {
      for (const [table, list] of byTable(here)) {
        const source = this.#bodySources.get(table);
        if (source === undefined) for (const { index } of list) table.contentHash(index);
        else {
          const digests = hashRegionBodies(source.region, source.contentKey, source.before, spans(list));
          list.forEach(({ index }, body) => table.setContentDigest(index, digests[body] as Uint8Array));
        }
      }
    } finally {
      await away;
    }
  }

  /** Hashes `bodies` on `thread`, one job per table (a layer's file region). */
  async #hashThere(thread: Thread, bodies: readonly DeferredBody[]): Promise<void> {
    for (const [table, list] of byTable(bodies)) {
      const source = this.#bodySources.get(table);
      if (source === undefined) continue;
      const digests = await new Promise<Uint8Array>((resolve, reject) => {
        const job: BodyHashJob = { kind: 'body-hashes', id: this.#nextId++, ...source, bodies: spans(list) };
        void this.#start(thread, {
          kind: 'body-hashes',
          job,
          bytes: null,
          signal: undefined,
          resolve,
          reject,
        });
      });
      list.forEach(({ index }, body) =>
        table.setContentDigest(
          index,
          digests.subarray(body * CONTENT_HASH_BYTES, (body + 1) * CONTENT_HASH_BYTES),
        ),
      );
    }
  }

  #read(input: LayerReaderInput, options: LayerReadOptions): Promise<LayerContents> {
    const size = input.region?.length ?? options.size;
    if (this.#isSmall(size)) return this.#here(() => readLayer(input, options));
    return new Promise<LayerContents>((resolve, reject) => {
      const job: ReadJob = {
        kind: 'read',
        id: this.#nextId++,
        label: options.label,
        digest: options.digest,
        size: options.size,
        diffId: options.diffId,
        sourceVerifies: options.sourceVerifies === true,
        contentKey: options.contentKey,
        deferBodyHashes: options.deferBodyHashes === true,
        region: input.region,
        remote: null,
        reportBytes: false,
      };
      this.#enqueue({ kind: 'read', job, bytes: size, input, signal: options.signal, resolve, reject });
    });
  }

  /**
   * The sha256 of a file region ("sha256:HEX"), on a worker like a layer's read (largest first,
   * small ones on this thread): a docker-archive's layers are hashed on both cores before their
   * stored results are trusted.
   */
  digest(region: FileRegion, label: string, signal?: AbortSignal): Promise<string> {
    if (this.#isSmall(region.length)) return this.#here(() => regionDigest(region, signal));
    return new Promise<string>((resolve, reject) => {
      const job: DigestJob = { kind: 'digest', id: this.#nextId++, label, region };
      this.#enqueue({ kind: 'digest', job, bytes: region.length, signal, resolve, reject });
    });
  }

  /**
   * dive's count (`countDiveWaste`) on a worker thread that is idle, once the layers are read, so
   * that this thread merges them meanwhile; null where there is none (no worker was started, or
   * none is free) or the stack is too large to copy (`OFFLOAD_MAX_ENTRIES`): then the caller
   * counts it itself. The input is copied to the worker (structured clone), not taken.
   */
  countDiveWaste(input: DiveWasteInput): Promise<DiveWaste> | null {
    if (this.#closed || input.typeCodes.length > OFFLOAD_MAX_ENTRIES) return null;
    const thread = this.#threads.find((candidate) => candidate.job === null);
    if (thread === undefined) return null;
    return new Promise<DiveWaste>((resolve, reject) => {
      const job: DiveWasteJob = { kind: 'dive-waste', id: this.#nextId++, input };
      void this.#start(thread, { kind: 'dive-waste', job, bytes: null, signal: undefined, resolve, reject });
    });
  }

  /** Whether a job of `bytes` (null: unknown) is done on this thread: no workers, or too small for one. */
  #isSmall(bytes: number | null): boolean {
    return this.#maxThreads === 0 || (bytes !== null && bytes <= this.#inProcessMaxBytes);
  }

  /** Runs a small job on this thread, within the concurrency, after the large ones have started. */
  #here<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#small.push(() => this.#limit(work).then(resolve, reject));
      this.#dispatchSoon();
    });
  }

  /**
   * Starts the worker threads now, before any layer is known, where the caller expects large
   * layers: a thread's start (a V8 isolate, the reader's modules) then overlaps the caller's own
   * work (resolving the image) instead of delaying the first layer it reads. An idle thread keeps
   * no process alive.
   */
  prestart(): void {
    while (!this.#closed && this.#threads.length < this.#maxThreads) this.#spawn().worker.unref();
  }

  /** Queues a large layer, largest first (unknown sizes before all: they may be the largest). */
  #enqueue(pending: QueuedJob): void {
    const rank = (bytes: number | null): number => bytes ?? Number.POSITIVE_INFINITY;
    const at = this.#queue.findIndex((queued) => rank(queued.bytes) < rank(pending.bytes));
    this.#queue.splice(at < 0 ? this.#queue.length : at, 0, pending);
    this.#dispatchSoon();
  }

  /**
   * Dispatches on the next turn of the event loop: an image's layers are asked for in one go
   * (within a few promise ticks), so the largest is started first, wherever it is in the image,
   * the smaller ones fill in at the end, which balances the threads' bytes, and the small
   * layers read on this thread start after the large ones have.
   */
  #dispatchSoon(): void {
    if (this.#dispatchDue) return;
    this.#dispatchDue = true;
    setImmediate(() => {
      this.#dispatchDue = false;
      this.#dispatch();
      for (const start of this.#small.splice(0)) start();
    });
  }

  /**
   * Stops every worker; reads still running fail. A busy worker gets a moment to finish its
   * read (an aborted download removes its cache's temporary file) before it is stopped, and is
   * waited for; an idle one is told to stop and not waited for (its isolate's teardown takes a
   * few milliseconds of its own thread, which the caller's analysis need not wait for).
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      this.#threads.splice(0).map(async (thread) => {
        if (thread.job === null) {
          void thread.worker.terminate();
          return;
        }
        await new Promise<void>((settled) => {
          const timer = setTimeout(settled, CLOSE_GRACE_MS);
          thread.idle = () => {
            clearTimeout(timer);
            settled();
          };
          thread.worker.once('exit', thread.idle);
        });
        await thread.worker.terminate();
      }),
    );
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      // The calling thread first: a layer read here needs no worker and no encoding.
      if (!this.#readingHere) {
        this.#readHere(this.#queue.shift() as QueuedJob);
        continue;
      }
      const thread =
        this.#threads.find((candidate) => candidate.job === null) ??
        (this.#threads.length < this.#maxThreads ? this.#spawn() : undefined);
      if (thread === undefined) return;
      void this.#start(thread, this.#queue.shift() as QueuedJob);
    }
  }

  /** Reads a large layer on the calling thread, exactly as a worker would. */
  #readHere(pending: QueuedJob): void {
    this.#readingHere = true;
    const { signal } = pending;
    let done: Promise<void>;
    if (pending.kind === 'digest') {
      done = regionDigest(pending.job.region, signal).then(pending.resolve);
    } else {
      done = readLayer(pending.input, readOptionsOf(pending.job, signal)).then(pending.resolve);
    }
    done.catch(pending.reject).finally(() => {
      this.#readingHere = false;
      this.#dispatch();
    });
  }

  async #start(thread: Thread, pending: PendingJob): Promise<void> {
    thread.job = pending;
    thread.sourceError = undefined;
    thread.inFlight = 0;
    thread.worker.ref();
    const { job, signal } = pending;
    if (signal?.aborted === true) {
      this.#finish(thread, () => pending.reject(signal.reason));
      return;
    }
    let source: Readable | null = null;
    thread.remote = null;
    if (pending.kind === 'read' && pending.job.region === null) {
      try {
        thread.remote = (await pending.input.remote?.()) ?? null;
        if (thread.remote === null) source = await pending.input.open();
      } catch (err) {
        this.#finish(thread, () => pending.reject(err));
        return;
      }
      // Stopped while the bytes were being opened: the listener below would never hear of it.
      if (stopped(signal)) {
        source?.destroy();
        this.#finish(thread, () => pending.reject(signal?.reason));
        return;
      }
    }
    signal?.addEventListener('abort', () => this.#abort(thread, job.id), { once: true });
    const remote = thread.remote;
    if (remote !== null && pending.kind === 'read')
      debug(`${pending.job.label} downloaded by a worker thread`);
    this.#post(thread, {
      kind: 'job',
      job:
        pending.kind === 'read'
          ? { ...pending.job, remote: remote?.blob ?? null, reportBytes: remote?.onBytes !== undefined }
          : pending.job,
    });
    if (source !== null) this.#forward(thread, job.id, source);
  }

  /**
   * The registry refused the worker's own download (an expired token, say): the job starts over
   * with the bytes fetched by the source, whose client authenticates again or says what is wrong.
   */
  async #fetchHere(thread: Thread, pending: PendingRead): Promise<void> {
    debug(`${pending.job.label}: the registry refused the worker's download; fetched on the main thread`);
    thread.remote = null;
    let source: Readable;
    try {
      source = await pending.input.open();
    } catch (err) {
      this.#finish(thread, () => pending.reject(err));
      return;
    }
    if (thread.job !== pending) {
      source.destroy();
      return;
    }
    if (stopped(pending.signal)) {
      source.destroy();
      this.#finish(thread, () => pending.reject(pending.signal?.reason));
      return;
    }
    thread.inFlight = 0;
    this.#post(thread, { kind: 'job', job: pending.job });
    this.#forward(thread, pending.job.id, source);
  }

  /** Sends a stream's bytes to the worker in copies it owns, within the window. */
  #forward(thread: Thread, id: number, source: Readable): void {
    thread.source = source;
    source.on('data', (chunk: Buffer) => {
      // A copy in a buffer of our own: Node's pooled Buffers cannot be transferred.
      const bytes = new Uint8Array(chunk.length);
      bytes.set(chunk);
      this.#post(thread, { kind: 'chunk', id, bytes }, [bytes.buffer]);
      thread.inFlight += bytes.length;
      if (thread.inFlight > WINDOW_BYTES) source.pause();
    });
    source.once('end', () => this.#post(thread, { kind: 'end', id }));
    source.once('error', (err) => {
      thread.sourceError = err;
      this.#post(thread, { kind: 'source-error', id, error: serializeError(err) });
    });
  }

  #abort(thread: Thread, id: number): void {
    if (thread.job?.job.id !== id) return;
    thread.source?.destroy();
    this.#post(thread, { kind: 'abort', id });
  }

  #post(thread: Thread, message: ToWorker, transfer: ArrayBuffer[] = []): void {
    thread.worker.postMessage(message, transfer);
  }

  #spawn(): Thread {
    const worker = startWorker();
    const thread: Thread = {
      worker,
      job: null,
      source: null,
      remote: null,
      inFlight: 0,
      sourceError: undefined,
      idle: null,
    };
    worker.on('message', (message: FromWorker) => this.#onMessage(thread, message));
    const lost = (err: unknown): void => {
      this.#threads.splice(this.#threads.indexOf(thread), 1);
      const pending = thread.job;
      thread.job = null;
      pending?.reject(err);
      this.#dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (!this.#closed && this.#threads.includes(thread)) lost(new Error(`a layer worker exited (${code})`));
    });
    this.#threads.push(thread);
    return thread;
  }

  #onMessage(thread: Thread, message: FromWorker): void {
    const pending = thread.job;
    if (pending === null || pending.job.id !== message.id) return;
    switch (message.kind) {
      case 'consumed':
        thread.inFlight -= message.bytes;
        if (thread.inFlight <= WINDOW_BYTES / 2) thread.source?.resume();
        return;
      case 'received':
        thread.remote?.onBytes?.(message.bytes);
        return;
      case 'refused':
        if (pending.kind === 'read') void this.#fetchHere(thread, pending);
        else
          this.#finish(thread, () =>
            pending.reject(new Error(`a layer worker refused a ${pending.kind} job`)),
          );
        return;
      case 'done':
        thread.remote?.onEnd?.();
        this.#finish(thread, () => {
          let contents: LayerContents;
          try {
            contents = decodeLayerContents(message.contents);
          } catch (err) {
            pending.reject(err);
            return;
          }
          if (pending.kind === 'read') pending.resolve(contents);
          else pending.reject(new Error(`a layer worker answered a ${pending.kind} job with contents`));
        });
        return;
      case 'digest':
        this.#finish(thread, () => {
          if (pending.kind === 'digest') pending.resolve(message.digest);
          else pending.reject(new Error(`a layer worker answered a ${pending.kind} job with a digest`));
        });
        return;
      case 'body-hashes':
        this.#finish(thread, () => {
          if (pending.kind === 'body-hashes') pending.resolve(message.digests);
          else pending.reject(new Error(`a layer worker answered a ${pending.kind} job with content hashes`));
        });
        return;
      case 'dive-waste':
        this.#finish(thread, () => {
          if (pending.kind === 'dive-waste') pending.resolve(message.waste);
          else pending.reject(new Error(`a layer worker answered a ${pending.kind} job with dive's counts`));
        });
        return;
      case 'failed': {
        const source = thread.sourceError;
        const err = source instanceof ImgscopeError ? source : reviveError(message.error);
        // A read that failed early leaves its source unread: close it (a download, say).
        thread.source?.destroy();
        this.#finish(thread, () => pending.reject(err));
        return;
      }
    }
  }

  /**
   * Frees the thread and gives it its next job, then settles this one: the worker reads on while
   * this thread decodes the result.
   */
  #finish(thread: Thread, settle: () => void): void {
    thread.job = null;
    thread.source = null;
    thread.remote = null;
    thread.worker.unref();
    this.#dispatch();
    settle();
    thread.idle?.();
  }
}
