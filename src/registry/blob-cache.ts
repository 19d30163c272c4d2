import { createReadStream, createWriteStream, type Stats, type WriteStream } from 'node:fs';
import { readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback, pipeline } from 'node:stream';
import {
  listDir,
  processAlive,
  removeLeastRecentlyUsed,
  removeUnused,
  sweepOrphans,
  temporaryOwner,
  temporaryPath,
  writeEntry,
} from '../cache/index.js';
import { PRIVATE_FILE_MODE, makePrivateDir, makePrivateFile, tightenPrivateTree } from '../private-files.js';
import { hasherFor } from './digest.js';

export { defaultCacheRoot } from '../cache/cache-root.js';

export interface PruneOptions {
  /** Keep entries used more recently than this; undefined removes every entry. */
  olderThanMs?: number;
  now?: number;
}

/** A blob the cache holds; its file's modification time is its last use (lookup touches it). */
export interface CachedBlob {
  digest: string;
  bytes: number;
  lastUsed: Date;
}

export interface PruneResult {
  removedEntries: number;
  removedBytes: number;
  removedTemporaryFiles: number;
}

export interface BlobCacheOptions {
  /** Told, once, when the cache is readable by others and cannot be made private. */
  onWarning?: (line: string) => void;
  /** Least recently used blobs are removed once the blobs pass this many bytes (default 5 GiB). */
  maxBytes?: number;
  /**
   * Blobs used at or after this time (ms since the epoch) are never removed to make room; by
   * default the start of the oldest analysis still running on this cache (`beginRun`).
   */
  spareSince?: number;
}

/** What another thread needs to open the same cache (plain data: `BlobCache` itself is not cloneable). */
export interface BlobCacheSettings {
  root: string;
  maxBytes: number;
  spareSince: number;
}

/** The default size cap of the cached blobs (`IMGSCOPE_BLOB_CACHE_MAX` changes it). */
export const DEFAULT_BLOB_CACHE_MAX_BYTES = 5 * 1024 ** 3;
/**
 * How far before an analysis began a use still counts as its own: file systems that keep
 * modification times to the second (or two) round a use made just now down.
 */
const MTIME_SLACK_MS = 2000;

/** Temporary files of a running download are kept by prune for this long. */
const TEMP_GRACE_MS = 24 * 60 * 60 * 1000;

/** Bytes a download may have queued for the cache file before it waits for the disk. */
const WRITE_WINDOW_BYTES = 1024 * 1024;

/**
 * Blobs keyed by digest: `ROOT/blobs/ALG/HEX`. A blob is written to `ROOT/tmp/` and renamed
 * into place only once its digest has been verified, so an entry is never partial, whenever the
 * process dies; an entry is verified again before use and removed if it does not match.
 * The cache holds private images' layers: it is kept 0700/0600 (tightened on first use).
 */
export class BlobCache {
  readonly maxBytes: number;
  /** When each analysis running on this cache began (less the slack), by `beginRun`. */
  readonly #runs = new Set<{ since: number }>();
  private swept = false;
  private privacy: Promise<void> | null = null;
  #evicting: Promise<void> = Promise.resolve();

  constructor(
    readonly root: string,
    private readonly options: BlobCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_BLOB_CACHE_MAX_BYTES;
  }

  /**
   * Marks an analysis (one image's source) as running on this cache from `startedAt` until the
   * returned function is called: the blobs it uses are not removed to make room meanwhile (an
   * image larger than the cap keeps its own). An audit's long run ends each image's, so the
   * blobs of images done are removed past the cap while the run goes on.
   */
  beginRun(startedAt = Date.now()): () => void {
    const run = { since: startedAt - MTIME_SLACK_MS };
    this.#runs.add(run);
    return () => void this.#runs.delete(run);
  }

  /** Blobs used at or after this are spared: the oldest running analysis's start (none: nothing spared). */
  #spareSince(): number {
    if (this.options.spareSince !== undefined) return this.options.spareSince;
    let since = Number.POSITIVE_INFINITY;
    for (const run of this.#runs) since = Math.min(since, run.since);
    return since;
  }

  /** This cache as another thread opens it, with the same cap and the same blobs spared. */
  settings(): BlobCacheSettings {
    return { root: this.root, maxBytes: this.maxBytes, spareSince: this.#spareSince() };
  }

  /**
   * Removes the least recently used blobs until the rest fit in `maxBytes`, sparing the blobs the
   * running analyses used (see `beginRun`); one eviction at a time per instance.
   */
  private evict(): Promise<void> {
    this.#evicting = this.#evicting
      .then(async () => {
        const files = (await this.blobFiles())
          .filter(({ info }) => info.isFile())
          .map(({ path, info }) => ({ path, bytes: info.size, lastUsed: info.mtime }));
        await removeLeastRecentlyUsed(files, this.maxBytes, this.#spareSince());
      })
      .catch(() => undefined);
    return this.#evicting;
  }

  /** Tightens a cache others can read, once per instance; says so when it cannot. */
  private makePrivate(): Promise<void> {
    this.privacy ??= tightenPrivateTree(this.root).then((loose) => {
      if (loose !== null) this.options.onWarning?.(loose.warning);
    });
    return this.privacy;
  }

  /** Removes partial downloads left by processes that died (killed mid-download); once per instance. */
  private async sweepOrphans(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    await sweepOrphans(this.root);
  }

  private entryPath(digest: string): string {
    const [algorithm, hex] = digest.split(':');
    return join(this.root, 'blobs', algorithm ?? 'unknown', hex ?? 'unknown');
  }

  /** Whether an entry of that size is there (not verified: `lookup` does that). */
  async holds(digest: string, size: number): Promise<boolean> {
    const info = await stat(this.entryPath(digest)).catch(() => null);
    return info !== null && info.isFile() && info.size === size;
  }

  /** The path of a verified cached blob, or null (a bad entry is removed on the way). */
  async lookup(digest: string, size: number): Promise<string | null> {
    await this.makePrivate();
    const path = this.entryPath(digest);
    try {
      const info = await stat(path);
      if (!info.isFile() || info.size !== size) {
        await rm(path, { force: true });
        return null;
      }
    } catch {
      return null;
    }
    const hash = hasherFor(digest);
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
        hash.update(chunk as Buffer);
    } catch {
      return null;
    }
    if (`${digest.split(':')[0]}:${hash.digest('hex')}` !== digest) {
      await rm(path, { force: true });
      return null;
    }
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return path;
  }

  /** Stores a small blob whose digest the caller has verified (a config); failures are ignored. */
  async put(digest: string, bytes: Buffer): Promise<void> {
    await this.makePrivate();
    try {
      await writeEntry(this.root, digest.split(':')[1] ?? 'blob', this.entryPath(digest), bytes);
    } catch {
      return;
    }
    await this.evict();
  }

  /**
   * A cached document known only by its digest (a manifest asked for by digest), verified; null
   * when absent, bad or over `maxBytes`.
   */
  async readByDigest(digest: string, maxBytes: number): Promise<Buffer | null> {
    const info = await stat(this.entryPath(digest)).catch(() => null);
    if (info === null || !info.isFile() || info.size > maxBytes) return null;
    return this.read(digest, info.size);
  }

  /** A cached small blob's bytes, verified; null when absent or bad. */
  async read(digest: string, size: number): Promise<Buffer | null> {
    const path = await this.lookup(digest, size);
    if (path === null) return null;
    return readFile(path).catch(() => null);
  }

  /**
   * Passes `source` through unchanged while writing it to a temporary file; when `source` ends
   * cleanly (it verifies its own digest and fails otherwise) the file becomes the entry.
   * Any error, or the consumer closing early, removes the temporary file.
   */
  async tee(source: Readable, digest: string, size: number): Promise<Readable> {
    const tmpDir = join(this.root, 'tmp');
    await this.makePrivate();
    try {
      await makePrivateDir(tmpDir);
    } catch {
      // A cache that cannot be written is no reason to fail the analysis: read without it.
      return source;
    }
    await this.sweepOrphans();
    const tmpPath = temporaryPath(this.root, digest.split(':')[1] ?? 'blob');
    const finalPath = this.entryPath(digest);
    // A window of 1 MiB, not 16 KiB: the socket's 16-64 KiB chunks then reach the disk a few at
    // a time (one writev), instead of each waiting for its own write to come back.
    const file: WriteStream = createWriteStream(tmpPath, {
      mode: PRIVATE_FILE_MODE,
      highWaterMark: WRITE_WINDOW_BYTES,
    });
    const evict = (): Promise<void> => this.evict();
    let written = 0;
    let committed = false;
    let discarded: Promise<void> | null = null;
    /** Removes the temporary file; settles once it is gone. */
    const discard = (): Promise<void> => {
      if (committed) return Promise.resolve();
      discarded ??= new Promise<void>((removed) => {
        const remove = (): void => void unlink(tmpPath).then(removed, removed);
        // Unlink only once the file is closed: before its open completes there is nothing to unlink yet.
        if (file.closed) remove();
        else {
          file.once('close', remove);
          file.destroy();
        }
      });
      return discarded;
    };
    // A disk that fails (full, read-only) stops the caching, never the bytes flowing on.
    let broken = false;
    let waiting: (() => void) | null = null;
    file.on('error', () => {
      broken = true;
      void discard();
      waiting?.();
    });
    const tee = new Transform({
      readableHighWaterMark: 1024 * 1024,
      transform(chunk: Buffer, _encoding, callback: TransformCallback) {
        written += chunk.length;
        if (broken || file.write(chunk)) {
          callback(null, chunk);
          return;
        }
        const resume = (): void => {
          waiting = null;
          file.off('drain', resume);
          callback(null, chunk);
        };
        waiting = resume;
        file.once('drain', resume);
      },
      flush(callback: TransformCallback) {
        if (broken || written !== size) {
          void discard();
          callback();
          return;
        }
        file.end((error?: Error | null) => {
          if (error || broken) {
            void discard();
            callback();
            return;
          }
          makePrivateFile(tmpPath)
            .then(() => makePrivateDir(join(finalPath, '..')))
            .then(() => rename(tmpPath, finalPath))
            .then(() => {
              committed = true;
              return evict();
            })
            .then(() => callback())
            // A cache that cannot be written is no reason to fail the analysis.
            .catch(() => {
              void discard();
              callback();
            });
        });
      },
      destroy(error, callback) {
        // Closed only once the temporary file is gone: a worker thread stopped right after leaves none.
        void discard().then(() => callback(error));
      },
    });
    pipeline(source, tee, () => undefined);
    return tee;
  }

  /** The blobs held, as stored (a bad one is found and removed only when it is used). */
  async list(): Promise<CachedBlob[]> {
    const blobs: CachedBlob[] = [];
    for (const file of await this.blobFiles()) {
      if (!file.info.isFile()) continue;
      blobs.push({ digest: file.digest, bytes: file.info.size, lastUsed: file.info.mtime });
    }
    return blobs;
  }

  /** The mode bits of the cache directory (0o700...), or null when it does not exist yet. */
  async directoryMode(): Promise<number | null> {
    const info = await stat(this.root).catch(() => null);
    return info === null ? null : info.mode & 0o7777;
  }

  private async blobFiles(): Promise<{ digest: string; path: string; info: Stats }[]> {
    const blobs = join(this.root, 'blobs');
    const files: { digest: string; path: string; info: Stats }[] = [];
    for (const algorithm of await listDir(blobs)) {
      for (const name of await listDir(join(blobs, algorithm))) {
        const path = join(blobs, algorithm, name);
        const info = await stat(path).catch(() => null);
        if (info !== null) files.push({ digest: `${algorithm}:${name}`, path, info });
      }
    }
    return files;
  }

  /** Removes entries (all, or those unused for olderThanMs) and stale temporary files. */
  async prune(options: PruneOptions = {}): Promise<PruneResult> {
    const now = options.now ?? Date.now();
    const entries = (await this.blobFiles()).map(({ path, info }) => ({
      path,
      bytes: info.size,
      lastUsed: info.mtime,
    }));
    const removed = await removeUnused(entries, { olderThanMs: options.olderThanMs, now });
    const result: PruneResult = {
      removedEntries: removed.entries,
      removedBytes: removed.bytes,
      removedTemporaryFiles: 0,
    };
    const tmp = join(this.root, 'tmp');
    for (const name of await listDir(tmp)) {
      const path = join(tmp, name);
      const info = await stat(path).catch(() => null);
      if (info === null) continue;
      const pid = temporaryOwner(name);
      const alive = Number.isInteger(pid) && pid !== process.pid && processAlive(pid);
      if (alive && now - info.mtimeMs < TEMP_GRACE_MS) continue;
      if (pid === process.pid) continue;
      await rm(path, { force: true });
      result.removedTemporaryFiles += 1;
      result.removedBytes += info.size;
    }
    return result;
  }
}
