import { closeSync, openSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImgscopeError, InputFormatError, UnsupportedError } from '../errors.js';
import {
  EntryTable,
  TYPE_CODE,
  type Compression,
  type EntryType,
  type LayerContents,
} from '../model/index.js';
import { WebAssemblyOffError } from './built-wasm.js';
import { createGunzipStream, createInlineDecoder, peekStream, sniffCompression } from './compression.js';
import { contentHasher, SMALL_BODY_BYTES } from './content-hash.js';
import type { InlineDecoder } from './inline-decoder.js';
import type { ContentKey } from './content-key.js';
import { digestCheck, DigestVerifier } from './digest-check.js';
import { regionChunks } from './region-chunks.js';
import { type ChunkConsumer, consumerStream } from './stream-adapters.js';
import { nativeZstdMessage } from './native-zstd.js';
import { isAccountFile, MAX_ACCOUNT_FILE_BYTES, parseAccountIds } from './account-files.js';
import { MAX_SCAN_BYTES, scanForSecrets, secretChecks } from './secret-scan.js';
import { classifyEntryName, normalizePath } from './entry-path.js';
import { MAX_PACKAGE_METADATA_BYTES_PER_LAYER, packageMetadataLimit } from '../packages/index.js';
import type { TarHeader } from './tar-header.js';
import { type BodySink, TarFormatError, TarParser } from './tar-parser.js';
import { abbreviate, WarningList } from './warning-list.js';
import type { FileRegion } from './worker-protocol.js';

/**
 * What `readLayer` records of a layer, as a number: bump it whenever a change to the reader (what
 * it keeps, hashes, scans or warns about) changes the result a layer yields, so results cached by
 * an older reader are not used (see layer-result-version.ts).
 */
export const LAYER_READER_VERSION = 4;

export interface LayerReadOptions {
  /** How errors name the layer, e.g. "layer 3". */
  label: string;
  /** Digest of the stored blob, verified while streaming; null where the source names none. */
  digest: string | null;
  /**
   * Whether the stream itself fails at its end where the blob's digest does not match (a
   * registry download, which hashes it instead of the reader: `digest` is null then).
   */
  sourceVerifies?: boolean;
  /** Size of the stored blob from its descriptor, checked with the digest. */
  size: number | null;
  /** Digest of the uncompressed tar (the config's diff_id), verified while streaming. */
  diffId: string | null;
  /** The key of the file-content hashes: the one every result compared with this one is hashed under. */
  contentKey: ContentKey;
  /** Stops the read (another layer already failed, say). */
  signal?: AbortSignal;
  /**
   * Whether a large file's body (over SMALL_BODY_BYTES), where the layer is plain tar in a local
   * file (`LayerInput.region`), is left unhashed: its hash is computed if and when something asks
   * for it (`EntryTable.setDeferredContent`; most bodies are never compared with anything). Only
   * for a result that is not stored: a stored result serves every later use, `diff`'s too.
   */
  deferBodyHashes?: boolean;
}

/** A layer's stored bytes: a stream to open, and where they lie when they are in a local file. */
export interface LayerInput {
  open(): Promise<Readable>;
  region: FileRegion | null;
}

/**
 * Reads one layer blob: verify the stored digest, sniff and decompress, verify the diffID, parse
 * tar headers and hash regular-file bodies (content-hash.ts). Nothing is held in memory but the
 * entry records. A layer in a local file, plain or compressed (a docker-archive's or an OCI
 * layout's: `LayerInput.region`), is read without a stream (readRegion); the rest streams.
 */
export async function readLayer(input: LayerInput, options: LayerReadOptions): Promise<LayerContents> {
  if (input.region !== null) {
    const fd = openSync(input.region.path, 'r');
    try {
      const contents = await readRegion(fd, input.region, options);
      if (contents !== null) return contents;
    } finally {
      closeSync(fd);
    }
  }
  return readStream(input.open, options);
}

/**
 * The stream of a layer blob, through every check and the parser (any compression): to one sink
 * that does the whole read on this thread (`LayerRead.take`), or, for gzip where zlib's handle
 * cannot be driven inline, through zlib's gunzip stream.
 */
async function readStream(open: () => Promise<Readable>, options: LayerReadOptions): Promise<LayerContents> {
  const raw = await open();
  const { head, stream } = await peekStream(raw, 4);
  const compression = sniffCompression(head);
  let read: LayerRead;
  try {
    read = startLayerRead(compression, options);
  } catch (err) {
    stream.destroy();
    throw err;
  }
  try {
    if (read.inline) await pipeline(stream, consumerStream(read), { signal: options.signal });
    else
      await pipeline(
        [
          stream,
          digestCheck(read.stored),
          createGunzipStream(),
          digestCheck(read.content),
          consumerStream(read.parser),
        ],
        { signal: options.signal },
      );
  } catch (err) {
    throw describeLayerError(err, options.label, compression);
  } finally {
    read.close();
  }
  return read.result();
}

/**
 * A layer blob in a local file, read as `readStream` would read it (the same checks in the same
 * order, the same errors) through `regionChunks`; null, having read one chunk, where its decoder
 * cannot be driven inline (`LayerRead.inline`).
 */
async function readRegion(
  fd: number,
  region: FileRegion,
  options: LayerReadOptions,
): Promise<LayerContents | null> {
  const chunks = regionChunks(fd, region, options.signal);
  let chunk = await chunks.next();
  const head = chunk.done === true ? Buffer.alloc(0) : chunk.value;
  const compression = sniffCompression(head.subarray(0, 4));
  // A plain layer's bodies lie in the file as they are in the tar: they can be read again.
  const read = startLayerRead(compression, options, compression === 'none');
  try {
    if (!read.inline) return null;
    for (; chunk.done !== true; chunk = await chunks.next()) read.take(chunk.value);
    read.end();
  } catch (err) {
    throw describeLayerError(err, options.label, compression);
  } finally {
    read.close();
  }
  return read.result();
}

/** A `LayerRead` of `compression`; where its decoder cannot start, the error that says why. */
function startLayerRead(
  compression: Compression,
  options: LayerReadOptions,
  bodiesInFile = false,
): LayerRead {
  try {
    return new LayerRead(compression, options, bodiesInFile);
  } catch (err) {
    throw describeLayerError(err, options.label, compression);
  }
}

/** What one read of a layer fills: its two checks, its parser, and the result they build. */
class LayerRead implements ChunkConsumer {
  /** The stored blob's size and digest. */
  readonly stored: DigestVerifier;
  /** The tar's digest (the diff_id) and size. */
  readonly content: DigestVerifier;
  readonly parser: TarParser;
  /** Decompresses the blob on this thread; null for a plain one (and for gzip on the stream path). */
  readonly #decoder: InlineDecoder | null;
  /** Whether `take` and `end` can read this blob: plain, or a decoder to drive. */
  readonly inline: boolean;
  /** Whether a digest is checked at the end of the blob, here or by its stream (`take`). */
  readonly #digestChecked: boolean;
  /** What broke past the stored digest's check, thrown once that check passed (`take`). */
  #broken: unknown = undefined;
  readonly #contents: LayerContents;
  readonly #warnings: WarningList;

  /** `bodiesInFile`: the tar's bytes lie as they are in a local file, where a body can be read again. */
  constructor(compression: Compression, options: LayerReadOptions, bodiesInFile: boolean) {
    this.stored = new DigestVerifier(`${options.label} blob`, options.digest, options.size);
    // An uncompressed blob named by its diff_id (skopeo, Docker >= 25) needs hashing only once.
    const sameBytes = compression === 'none' && options.digest === options.diffId;
    this.content = new DigestVerifier(
      `${options.label} content (diff_id)`,
      sameBytes ? null : options.diffId,
    );
    this.#contents = {
      entries: new EntryTable(),
      tarSizeBytes: 0,
      uncompressedBytes: 0,
      storedBytes: 0,
      compression,
      warnings: [],
      contentKeyId: options.contentKey.id,
    };
    this.#warnings = new WarningList(options.label);
    const deferBodies = bodiesInFile && options.deferBodyHashes === true;
    this.parser = new TarParser(entryCollector(this.#contents, options, this.#warnings, deferBodies));
    this.#digestChecked = this.stored.checksDigest || options.sourceVerifies === true;
    this.#decoder = createInlineDecoder(compression);
    this.inline = compression === 'none' || this.#decoder !== null;
  }

  /**
   * The next bytes of the stored blob, through every check and the parser (an `inline` read).
   * Where the blob's digest is checked (here, or by its stream: `sourceVerifies`), what its bytes
   * break past that check (the compressed data, the tar) is thrown only at the end, after the
   * digest: a blob that is not what its descriptor names is reported as that, its cause,
   * whichever of its bytes break first.
   */
  take(stored: Buffer): void {
    this.stored.update(stored);
    if (this.#broken !== undefined) return;
    try {
      if (this.#decoder === null) this.#takeTar(stored);
      else this.#decoder.write(stored, this.#takeTar);
    } catch (error) {
      if (!this.#digestChecked) throw error;
      this.#broken = error;
    }
  }

  /** The end of the stored blob: the checks that need every byte, in the stream's order. */
  end(): void {
    this.stored.verify();
    if (this.#broken !== undefined) throw this.#broken;
    this.#decoder?.end(this.#takeTar);
    this.content.verify();
    this.parser.end();
  }

  /** Frees the decoder, whether the read ended or failed. */
  close(): void {
    this.#decoder?.close();
  }

  readonly #takeTar = (tar: Buffer): void => {
    this.content.update(tar);
    this.parser.take(tar);
  };

  /** The layer's contents, once every byte passed the checks and the parser. */
  result(): LayerContents {
    const contents = this.#contents;
    hashHardLinks(contents.entries);
    contents.warnings = this.#warnings.toArray();
    contents.storedBytes = this.stored.bytesSeen;
    contents.uncompressedBytes = this.content.bytesSeen;
    return contents;
  }
}

/** Turns tar headers into entry records, hashing regular-file bodies as they pass. */
function entryCollector(
  contents: LayerContents,
  { label, contentKey }: LayerReadOptions,
  warnings: WarningList,
  deferBodies: boolean,
): (header: TarHeader, bodyOffset: number) => BodySink | null {
  let metadataBytes = 0;
  return (header, bodyOffset) => {
    const classified = classifyEntryName(header.name);
    if (classified.kind === 'root') return null;
    contents.tarSizeBytes += header.size;
    if (classified.kind === 'ignored') {
      warnings.add(`${label}: ${classified.reason}; not applied`);
      return null;
    }
    const type = classified.kind === 'path' ? entryType(header.type) : classified.kind;
    let target: string | null = null;
    if (type === 'hardlink') {
      target = normalizePath(header.linkname);
      if (target === null || target === '/') {
        warnings.add(
          `${label}: hard link "${abbreviate(header.name)}" points outside the image root; not applied`,
        );
        return null;
      }
    }
    const { entries } = contents;
    const path = classified.path;
    const index = entries.add({
      path,
      type,
      size: header.size,
      mode: header.mode,
      uid: header.uid,
      gid: header.gid,
    });
    if (type === 'symlink') entries.setLinkTarget(index, header.linkname);
    if (target !== null) entries.setLinkTarget(index, target);
    if (type !== 'file') return null;
    const metadataLimit = packageMetadataLimit(path);
    if (header.size === 0) {
      entries.setEmptyContent(index);
      // An emptied database says "no packages": kept, so the inventory does not read an older one.
      if (metadataLimit > 0) entries.setPackageMetadata(index, Buffer.alloc(0));
      return null;
    }
    // Likely credential files (by name) are also scanned, and account files read for their
    // ids; only the kinds of secret found and the name/id pairs are kept.
    const checks = secretChecks(path);
    const accounts = isAccountFile(path);
    // Package metadata is kept whole or not at all: a cut-off database would list wrong packages.
    let metadata = false;
    if (metadataLimit > 0) {
      metadata =
        header.size <= metadataLimit && metadataBytes + header.size <= MAX_PACKAGE_METADATA_BYTES_PER_LAYER;
      if (metadata) metadataBytes += header.size;
      else
        warnings.add(
          `${label}: package metadata "${abbreviate(path)}" is ${header.size} bytes, over the ${header.size > metadataLimit ? `${metadataLimit}-byte limit for such a file` : `${MAX_PACKAGE_METADATA_BYTES_PER_LAYER}-byte limit per layer`}; its packages are not listed`,
        );
    }
    const limit = Math.max(
      accounts ? MAX_ACCOUNT_FILE_BYTES : checks.length > 0 ? MAX_SCAN_BYTES : 0,
      metadata ? header.size : 0,
    );
    if (deferBodies && limit === 0 && header.size > SMALL_BODY_BYTES) {
      entries.setDeferredContent(index, bodyOffset);
      return null;
    }
    const hash = contentHasher(contentKey, header.size);
    const head: Buffer[] = [];
    let headBytes = 0;
    return {
      update: (chunk) => {
        hash.update(chunk);
        if (headBytes < limit) {
          const part = chunk.subarray(0, limit - headBytes);
          head.push(Buffer.from(part));
          headBytes += part.length;
        }
      },
      end: () => {
        entries.setContentDigest(index, hash.digest());
        if (limit === 0) return;
        const content = Buffer.concat(head);
        if (metadata) entries.setPackageMetadata(index, content);
        if (accounts) entries.setAccountIds(index, parseAccountIds(content.toString('utf8')));
        const kinds = scanForSecrets(checks, content);
        if (kinds.length > 0) entries.setSecretKinds(index, kinds);
      },
    };
  };
}

/**
 * Gives each hard link its target's content hash, where the layer wrote that file before the link
 * (tar's order). Only link targets are remembered, not every file of the layer.
 */
function hashHardLinks(entries: EntryTable): void {
  // Type codes, not a call per entry: this runs once per layer, over every entry, mostly cold.
  const types = entries.typeCodes();
  /** By target path: the index of the file last written there (or -1: something else). */
  const targets = new Map<string, number>();
  for (let index = 0; index < entries.length; index++) {
    const target = types[index] === TYPE_CODE.hardlink ? entries.linkTarget(index) : undefined;
    if (target !== undefined) targets.set(target, -1);
  }
  if (targets.size === 0) return;
  /**
   * By directory a target is in: the index of the last entry other than a directory written
   * there (-1: none yet), which removed what was under it, as the merge does. A link's target
   * written before that is gone: checked per link, along its target's directories, so a layer
   * that writes over such a directory again and again costs one lookup an entry.
   */
  const replaced = new Map<string, number>();
  for (const target of targets.keys())
    for (const directory of directoriesOf(target)) replaced.set(directory, -1);
  // The latest replacement among the directories of the target asked last, until anything is
  // replaced again: a layer of a million links to one file asks for the same target each time.
  let replacements = 0;
  let asked: { target: string; latest: number; at: number } | null = null;
  const latestReplacement = (target: string): number => {
    if (asked?.target === target && asked.at === replacements) return asked.latest;
    let latest = -1;
    for (const directory of directoriesOf(target)) latest = Math.max(latest, replaced.get(directory) ?? -1);
    asked = { target, latest, at: replacements };
    return latest;
  };
  /**
   * The previous entry's directory, whose ancestors were checked then (tar lists a directory's
   * entries together).
   */
  let checkedDirectory: string | null = null;
  for (let index = 0; index < entries.length; index++) {
    const type = types[index];
    const path = entries.path(index);
    // A path under a target makes the target a directory before this entry applies, as the merge
    // does, so a link written after it shares no file's bytes (a tar that nests under a file).
    // The previous entry in the same directory checked the same ancestors, and changed none of them.
    const slash = path.lastIndexOf('/');
    if (!(
      checkedDirectory !== null &&
      slash === checkedDirectory.length &&
      path.startsWith(checkedDirectory)
    )) {
      for (const parent of directoriesOf(path)) if (targets.has(parent)) targets.set(parent, -1);
      checkedDirectory = path.slice(0, Math.max(slash, 0));
    }
    // Anything but a directory written over a directory removes what was under it, as the merge
    // does, before a link written there looks for its target (a tar that replaces the directory
    // a target is in).
    if (type !== TYPE_CODE.directory && replaced.has(path)) {
      replaced.set(path, index);
      replacements++;
    }
    if (type === TYPE_CODE.hardlink) {
      const target = entries.linkTarget(index) ?? '';
      const file = targets.get(target) ?? -1;
      if (file >= 0 && latestReplacement(target) <= file) entries.shareContentHash(index, file);
    }
    if (targets.has(path)) targets.set(path, type === TYPE_CODE.file ? index : -1);
  }
}

/** The directories `path` is in, innermost first ("/a/b/c": "/a/b", "/a"; the root left out). */
function* directoriesOf(path: string): Generator<string> {
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1))
    yield path.slice(0, slash);
}

function entryType(typeflag: string): EntryType {
  switch (typeflag) {
    case '0':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** One clear line for whatever broke inside the layer pipeline. */
function describeLayerError(err: unknown, label: string, compression: Compression): ImgscopeError {
  if (err instanceof ImgscopeError) return err;
  // Not the data's fault: this Node cannot run the decoder (zstd below Node 24 is WebAssembly).
  if (err instanceof WebAssemblyOffError) {
    return new UnsupportedError(
      `${label}: zstd data needs WebAssembly, which this Node runs without (--jitless)`,
      {
        hint: 'run imgscope without --jitless, in NODE_OPTIONS too, or on Node >= 24, whose zlib decodes zstd',
        cause: err,
      },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (compression === 'zstd' && err instanceof Error && !(err instanceof TarFormatError)) {
    const said = nativeZstdMessage(typeof code === 'string' ? code : undefined, message);
    return new InputFormatError(`${label}: corrupt zstd data (${said})`, { cause: err });
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new InputFormatError(`${label}: corrupt gzip data (${message})`, { cause: err });
  }
  if (err instanceof TarFormatError) return new InputFormatError(`${label}: ${message}`, { cause: err });
  return new InputFormatError(`${label}: could not be read (${message})`, { cause: err });
}
