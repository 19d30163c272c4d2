import { closeSync, fstatSync, futimesSync, openSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import {
  type ContentKey,
  CorruptLayerResultError,
  decodeLayerContents,
  encodeLayerContentsParts,
  layerResultVersion,
  parseDigest,
} from '../layers/index.js';
import type { LayerContents } from '../model/index.js';
import { tightenPrivateTree } from '../private-files.js';
import { listDir, sweepOrphans, writeEntry } from './cache-files.js';
import { removeLeastRecentlyUsed, removeUnused } from './least-recently-used.js';
import { CONTENT_KEY_FILE, storedContentKey } from './content-key-file.js';
import { KnownFiles } from './known-files.js';
import { imgscopeVersion } from './imgscope-version.js';

/** The default size cap of the stored layer results (`IMGSCOPE_LAYER_CACHE_MAX` changes it). */
export const DEFAULT_LAYER_CACHE_MAX_BYTES = 2 * 1024 ** 3;

export interface LayerResultCacheOptions {
  /** Least recently used results are removed once the stored results pass this many bytes. */
  maxBytes?: number;
  /** Told about a damaged entry (removed, and the layer read again) or a cache others can read. */
  onWarning?: (line: string) => void;
  /** The version key; by default the reader's (`layerResultVersion`) and imgscope's version. */
  version?: string;
}

/** A stored layer result as `cache list` shows it. */
export interface StoredLayerResult {
  /** The digest of the stored blob the result was read from. */
  digest: string;
  /** The digest of its uncompressed tar, computed while it was read. */
  diffId: string;
  bytes: number;
  lastUsed: Date;
  /** Whether this imgscope would use it (false: written by a reader of another version). */
  current: boolean;
}

interface StoredFile extends StoredLayerResult {
  path: string;
}

/**
 * Layer results (the layer-contents codec's encoding, nothing else) kept between runs:
 * `ROOT/layers/VERSION/sha256-STORED.sha256-DIFFID`, one file per layer. A result is stored only
 * by the caller's word that both digests were computed from the bytes it came from (the blob's
 * checked against the descriptor as it streamed, the diff_id checked after decompression), and
 * found only under both, so a document that pairs a blob with another diff_id finds nothing.
 * Written through a temporary file and a rename; checked (the codec's CRC-32) when read, a
 * damaged entry removed with a warning; touched when used, and the least recently used removed
 * past `maxBytes`. The file-content hashes in a result are keyed (src/layers/content-hash.ts):
 * each version directory keeps its key (content-key-file.ts), whose id every result carries; a
 * result of another key is never used (removed when met), and a reader that may compare its
 * results with stored ones hashes under `contentKey()`. Warnings are stored without the
 * layer's label (`layer 3: `), which the reader gives back: the same layer can be another
 * image's layer 0.
 */
export class LayerResultCache {
  readonly maxBytes: number;
  readonly version: string;
  /** The digests of local files' regions (an archive's layers), kept beside the results. */
  readonly knownFiles: KnownFiles;
  #privacy: Promise<void> | null = null;
  #contentKey: Promise<ContentKey | null> | null = null;
  #swept = false;
  #evicting: Promise<void> = Promise.resolve();
  /** The stored bytes as last counted plus what this process stored since; null: not counted yet. */
  #storedBytes: number | null = null;
  /** ROOT/layers/VERSION, joined once: each lookup only appends a file name to it. */
  readonly #versionDir: string;

  constructor(
    readonly root: string,
    private readonly options: LayerResultCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_LAYER_CACHE_MAX_BYTES;
    this.version = options.version ?? `${layerResultVersion()}-${imgscopeVersion()}`;
    this.#versionDir = join(this.layersDir, this.version);
    this.knownFiles = new KnownFiles(root);
  }

  private get layersDir(): string {
    return join(this.root, 'layers');
  }

  private entryPath(storedDigest: string, diffId: string): string | null {
    if (parseDigest(storedDigest)?.algorithm !== 'sha256' || parseDigest(diffId)?.algorithm !== 'sha256') {
      return null;
    }
    // Two checked digests make a plain file name (no separator, no dot-dot): appended, not joined,
    // since path.join's normalizing of the whole path runs cold, for every layer of a small image.
    return `${this.#versionDir}${sep}${storedDigest.replace(':', '-')}.${diffId.replace(':', '-')}`;
  }

  private makePrivate(): Promise<void> {
    this.#privacy ??= tightenPrivateTree(this.root).then((loose) => {
      if (loose !== null) this.options.onWarning?.(loose.warning);
    });
    return this.#privacy;
  }

  /**
   * The key the stored results' content hashes were made under, made on first use: the key to
   * read layers under whenever their results may meet stored ones. Null when it can neither be
   * read nor made (a read-only cache, say): then no result is used or stored.
   */
  contentKey(): Promise<ContentKey | null> {
    this.#contentKey ??= this.makePrivate()
      .then(() => storedContentKey(this.root, this.#versionDir))
      .then(({ key, warning }) => {
        if (warning !== null) this.options.onWarning?.(warning);
        return key;
      });
    return this.#contentKey;
  }

  /** Whether a result is stored for this pair (a docker-archive layer is hashed only then). */
  async has(storedDigest: string, diffId: string): Promise<boolean> {
    const path = this.entryPath(storedDigest, diffId);
    if (path === null || (await this.contentKey()) === null) return false;
    // One stat, synchronous: through libuv's thread pool it costs more than it does.
    try {
      return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
    } catch {
      return false;
    }
  }

  /**
   * The result stored for the blob `storedDigest` whose tar is `diffId`, its warnings labelled
   * `label`; null when there is none, or when it was damaged (removed, with a warning).
   */
  async get(storedDigest: string, diffId: string, label: string): Promise<LayerContents | null> {
    const path = this.entryPath(storedDigest, diffId);
    if (path === null) return null;
    const key = await this.contentKey();
    if (key === null) return null;
    let bytes: Buffer;
    try {
      bytes = await readUsedEntry(path);
    } catch {
      return null;
    }
    let contents: LayerContents;
    try {
      contents = decodeLayerContents(bytes);
    } catch (error) {
      if (!(error instanceof CorruptLayerResultError)) throw error;
      await rm(path, { force: true }).catch(() => undefined);
      this.options.onWarning?.(
        `the cached result of ${label} (${storedDigest}) is damaged: ${error.message}; it was removed and the layer is read again`,
      );
      return null;
    }
    if (contents.contentKeyId !== key.id) {
      // Hashed under a key since replaced: its hashes mean nothing to this run's.
      await rm(path, { force: true }).catch(() => undefined);
      return null;
    }
    contents.warnings = contents.warnings.map((warning) => `${label}: ${warning}`);
    return contents;
  }

  /**
   * Stores `contents`, read from the blob `storedDigest` whose tar hashed to `diffId` (both
   * computed from the bytes: never a document's word alone). A cache that cannot be written
   * (a full disk) never fails the analysis and leaves no entry behind.
   */
  async put(storedDigest: string, diffId: string, label: string, contents: LayerContents): Promise<void> {
    const path = this.entryPath(storedDigest, diffId);
    const prefix = `${label}: `;
    // Every warning the reader writes starts with the label; one that does not is kept out.
    if (path === null || !contents.warnings.every((warning) => warning.startsWith(prefix))) return;
    if (contents.contentKeyId !== (await this.contentKey())?.id) return;
    // In pieces that view the entry table: a million-entry layer is not copied whole to be stored.
    const encoded = encodeLayerContentsParts({
      ...contents,
      warnings: contents.warnings.map((warning) => warning.slice(prefix.length)),
    });
    const encodedBytes = encoded.reduce((sum, part) => sum + part.byteLength, 0);
    if (encodedBytes > this.maxBytes) return;
    if (!this.#swept) {
      this.#swept = true;
      await sweepOrphans(this.root);
    }
    try {
      await writeEntry(this.root, storedDigest.slice(storedDigest.indexOf(':') + 1), path, encoded);
    } catch {
      return;
    }
    // One eviction at a time in this process; other processes may evict too (rm is idempotent).
    this.#evicting = this.#evicting.then(() => this.evict(encodedBytes)).catch(() => undefined);
    await this.#evicting;
  }

  /**
   * Removes the least recently used results until the rest fit in `maxBytes`. The directory is
   * listed once, then only when the count kept since (plus what was just stored) passes the cap.
   */
  private async evict(added: number): Promise<void> {
    if (this.#storedBytes !== null) {
      this.#storedBytes += added;
      if (this.#storedBytes <= this.maxBytes) return;
    }
    this.#storedBytes = await removeLeastRecentlyUsed(await this.files(), this.maxBytes);
  }

  /** Every stored result, of this version and of others. */
  async list(): Promise<StoredLayerResult[]> {
    return (await this.files()).map(({ path: _path, ...stored }) => stored);
  }

  /** Removes results (all, or those unused for `olderThanMs`); what was removed. */
  async prune(
    options: { olderThanMs?: number; now?: number } = {},
  ): Promise<{ entries: number; bytes: number }> {
    const removed = await removeUnused(await this.files(), options);
    for (const version of await listDir(this.layersDir)) {
      // An emptied version directory goes too, with its content key (results keep their key's
      // id, so a run still using the key stores nothing that a new key would misread).
      const dir = join(this.layersDir, version);
      if ((await listDir(dir)).every((name) => name === CONTENT_KEY_FILE)) {
        await rm(join(dir, CONTENT_KEY_FILE), { force: true }).catch(() => undefined);
        await rmdir(dir).catch(() => undefined);
      }
    }
    return removed;
  }

  private async files(): Promise<StoredFile[]> {
    const files: StoredFile[] = [];
    for (const version of await listDir(this.layersDir)) {
      for (const name of await listDir(join(this.layersDir, version))) {
        const match = /^sha256-([a-f0-9]{64})\.sha256-([a-f0-9]{64})$/.exec(name);
        if (match === null) continue;
        const path = join(this.layersDir, version, name);
        const info = await stat(path).catch(() => null);
        if (info === null || !info.isFile()) continue;
        files.push({
          path,
          digest: `sha256:${match[1]}`,
          diffId: `sha256:${match[2]}`,
          bytes: info.size,
          lastUsed: info.mtime,
          current: dirname(path) === this.#versionDir,
        });
      }
    }
    return files;
  }
}

/**
 * Entries up to this size are read in synchronous calls: an image's small layers' results are a
 * few hundred bytes each, and each round trip of an asynchronous read through libuv's thread
 * pool (open, fstat, read, close) costs more than the read (about 1 ms of a small image's start).
 * A larger entry (a million-entry layer's is some 100 MB) is read asynchronously, as before.
 */
const READ_AT_ONCE_MAX_BYTES = 1024 * 1024;

/**
 * The entry at `path`, marked as used (its modification time, which eviction and `cache prune`
 * read) through the descriptor it is read from: one lookup of the path instead of two.
 */
async function readUsedEntry(path: string): Promise<Buffer> {
  const fd = openSync(path, 'r');
  let small: Buffer | null = null;
  try {
    const now = Date.now() / 1000;
    try {
      futimesSync(fd, now, now);
    } catch {
      // A read-only cache: the entry is used, only not marked as used.
    }
    if (fstatSync(fd).size <= READ_AT_ONCE_MAX_BYTES) small = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  return small ?? readFile(path);
}
