import { Readable, finished } from 'node:stream';
import type { Hash } from 'node:crypto';
import { DigestMismatchError, NetworkError } from '../errors.js';
import type { Descriptor } from '../model/index.js';
import { hasherFor } from './digest.js';
import { type HttpResponse, timeoutFailure } from './http-transport.js';
import { type RetryPolicy, backoffDelay, sleep } from './retry.js';

/** Opens the blob from `offset` on (a Range request when offset > 0); errors are final ImgscopeErrors. */
export type RangeFetcher = (offset: number) => Promise<HttpResponse>;

export interface BlobDownloadOptions {
  descriptor: Descriptor;
  /** "HOST/REPO", for messages. */
  where: string;
  /** The registry's name, for messages. */
  registry: string;
  /** How long the transport waits for data before it gives up on a request, for messages. */
  idleTimeoutMs: number;
  fetch: RangeFetcher;
  retry: RetryPolicy;
  /** Called with each chunk's length, for progress. */
  onBytes?: (bytes: number) => void;
}

/**
 * The stored bytes of one blob as a stream that survives interruptions: when the connection
 * drops or the body ends short, it asks again with `Range: bytes=N-` and carries on (skipping
 * N bytes if the server ignores the range), handing each chunk on as the socket delivered it. The
 * digest and size are checked as bytes pass; a mismatch fails the stream at its end, so a
 * consumer never sees a clean end of bad bytes.
 */
export interface BlobDownload extends Readable {
  /** Bytes delivered so far. */
  readonly receivedBytes: number;
}

/**
 * A `BlobDownload` of `options`. Its class is made on the first download: a module-level class
 * that extends Readable loads node:stream as the bundle starts (about 3 ms of a start on Node
 * 20), also for runs that read no registry.
 */
export function createBlobDownload(options: BlobDownloadOptions): BlobDownload {
  downloadClass ??= blobDownloadClass();
  return new downloadClass(options);
}

let downloadClass: (new (options: BlobDownloadOptions) => BlobDownload) | undefined;

function blobDownloadClass(): new (options: BlobDownloadOptions) => BlobDownload {
  return class extends Readable implements BlobDownload {
    private readonly hash: Hash;
    private offset = 0;
    private body: Readable | null = null;
    private connecting = false;
    private interruptions = 0;
    private offsetAtLastInterruption = 0;
    /** Requests made for this blob: one per answer, and every try of a request that timed out. */
    private requests = 0;
    private done = false;

    constructor(private readonly options: BlobDownloadOptions) {
      super({ highWaterMark: 1024 * 1024 });
      this.hash = hasherFor(options.descriptor.digest);
    }

    /** Bytes delivered so far. */
    get receivedBytes(): number {
      return this.offset;
    }

    override _read(): void {
      if (this.body !== null) this.body.resume();
      else if (!this.connecting && !this.done) void this.connect();
    }

    override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
      this.done = true;
      if (this.body !== null) {
        this.body.destroy();
        this.body = null;
      }
      callback(error);
    }

    private async connect(): Promise<void> {
      this.connecting = true;
      let res: HttpResponse;
      try {
        res = await this.options.fetch(this.offset);
      } catch (error) {
        this.connecting = false;
        const answeredBefore = this.requests > 0;
        const timeout = timeoutFailure(error);
        this.requests += timeout?.attempts ?? 1;
        // Silence after the registry has answered for this blob is a stall, not an unreachable host.
        this.destroy(timeout !== null && answeredBefore ? this.stalled() : (error as Error));
        return;
      }
      this.requests += 1;
      this.connecting = false;
      if (this.destroyed) {
        res.body.destroy();
        return;
      }
      let skip = 0;
      if (this.offset > 0) {
        const range = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''));
        if (res.status === 206 && range !== null && Number(range[1]) === this.offset) skip = 0;
        else if (res.status === 200) skip = this.offset;
        else {
          res.body.destroy();
          this.destroy(
            new NetworkError(
              `resuming ${this.options.descriptor.digest} from ${this.options.where} failed: the server answered HTTP ${res.status} to a range request`,
            ),
          );
          return;
        }
      }
      const body = res.body;
      this.body = body;
      body.on('data', (chunk: Buffer) => {
        let data = chunk;
        if (skip > 0) {
          if (data.length <= skip) {
            skip -= data.length;
            return;
          }
          data = data.subarray(skip);
          skip = 0;
        }
        this.offset += data.length;
        if (this.offset > this.options.descriptor.size) {
          this.fail(`more than the ${this.options.descriptor.size} bytes the manifest announces`);
          return;
        }
        this.hash.update(data);
        this.options.onBytes?.(data.length);
        if (!this.push(data)) body.pause();
      });
      finished(body, (error) => {
        if (this.body !== body) return;
        this.body = null;
        if (this.destroyed || this.done) return;
        if ((error === undefined || error === null) && this.offset === this.options.descriptor.size) {
          this.finish();
          return;
        }
        body.destroy();
        const reason =
          error !== undefined && error !== null
            ? ((error as NodeJS.ErrnoException).code ?? error.message)
            : `connection closed after ${this.offset} of ${this.options.descriptor.size} bytes`;
        void this.interrupted(
          reason,
          (error as NodeJS.ErrnoException | null | undefined)?.code === 'ETIMEDOUT',
        );
      });
    }

    private finish(): void {
      this.done = true;
      const actual = `${this.options.descriptor.digest.split(':')[0]}:${this.hash.digest('hex')}`;
      if (actual !== this.options.descriptor.digest) {
        this.destroy(
          new DigestMismatchError(`blob from ${this.options.where}`, this.options.descriptor.digest, actual),
        );
        return;
      }
      this.push(null);
    }

    private fail(why: string): void {
      this.done = true;
      this.destroy(
        new DigestMismatchError(
          `blob ${this.options.descriptor.digest} from ${this.options.where}`,
          this.options.descriptor.digest,
          why,
        ),
      );
    }

    /** The one line for a download that stopped receiving data and kept getting none. */
    private stalled(): NetworkError {
      const { descriptor, registry, idleTimeoutMs } = this.options;
      const kind = /\.layer\.|\.rootfs\./.test(descriptor.mediaType) ? 'layer' : 'blob';
      const digest = `${descriptor.digest.slice(0, descriptor.digest.indexOf(':') + 13)}…`;
      return new NetworkError(
        `registry ${registry}: ${kind} ${digest} download stalled at byte ${this.offset} of ${descriptor.size} (no data for ${idleTimeoutMs / 1000} s) after ${this.requests} attempts`,
        { hint: 'run again later: completed blobs are cached' },
      );
    }

    private async interrupted(reason: string, timedOut: boolean): Promise<void> {
      // Attempts are counted without progress: a flaky link that keeps delivering bytes gets there.
      this.interruptions = this.offset > this.offsetAtLastInterruption ? 1 : this.interruptions + 1;
      this.offsetAtLastInterruption = this.offset;
      if (this.interruptions >= this.options.retry.attempts) {
        if (timedOut) {
          this.destroy(this.stalled());
          return;
        }
        this.destroy(
          new NetworkError(
            `downloading ${this.options.descriptor.digest} from ${this.options.where} failed: ${this.interruptions} attempts in a row made no progress (${reason})`,
            { hint: 'check the network or the registry, then run again: completed blobs are cached' },
          ),
        );
        return;
      }
      this.connecting = true;
      await sleep(backoffDelay(this.options.retry, this.interruptions - 1));
      this.connecting = false;
      if (!this.destroyed) void this.connect();
    }
  };
}
