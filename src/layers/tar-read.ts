import { EntryTable, type Compression, type EntryType, type LayerContents } from '../model/index.js';
import { MAX_PACKAGE_METADATA_BYTES_PER_LAYER, packageMetadataLimit } from '../packages/index.js';
import { isAccountFile, MAX_ACCOUNT_FILE_BYTES, parseAccountIds } from './account-files.js';
import { ContentHasher } from './content-hash.js';
import type { ContentKey } from './content-key.js';
import { DigestVerifier } from './digest-check.js';
import { classifyEntryName, normalizePath } from './entry-path.js';
import { MAX_SCAN_BYTES, scanForSecrets, secretChecks } from './secret-scan.js';
import type { TarHeader } from './tar-header.js';
import { type BodySink, TarParser } from './tar-parser.js';
import { abbreviate, WarningList } from './warning-list.js';

/** What the tar half of a layer's read needs to know. */
export interface TarReadOptions {
  /** How warnings and errors name the layer, e.g. "layer 3". */
  label: string;
  /** The tar's digest to check (the config's diff_id); null where there is none to check. */
  diffId: string | null;
  /** The key of the file-content hashes. */
  contentKey: ContentKey;
  /** The stored blob's compression, as the result states it. */
  compression: Compression;
}

/**
 * The tar half of a layer's read: the diff_id check, the parser, and the entry records they
 * build, fed the uncompressed tar in pieces. `readLayer` runs it on the thread that decodes the
 * blob, or, in a split read, another thread does (layer-reader.ts: the decoding thread hands the
 * pieces over).
 */
export class TarRead {
  /** The tar's digest (the diff_id) and size. */
  readonly content: DigestVerifier;
  readonly parser: TarParser;
  readonly #contents: LayerContents;
  readonly #warnings: WarningList;

  constructor(options: TarReadOptions) {
    this.content = new DigestVerifier(`${options.label} content (diff_id)`, options.diffId);
    this.#contents = {
      entries: new EntryTable(),
      tarSizeBytes: 0,
      uncompressedBytes: 0,
      storedBytes: 0,
      compression: options.compression,
      warnings: [],
      contentKeyId: options.contentKey.id,
    };
    this.#warnings = new WarningList(options.label);
    this.parser = new TarParser(entryCollector(this.#contents, options, this.#warnings));
  }

  /** The next piece of the tar (valid during the call only). */
  readonly take = (tar: Buffer): void => {
    this.content.update(tar);
    this.parser.parse(tar);
  };

  /** The end of the tar: its digest, and an entry cut short. */
  end(): void {
    this.content.verify();
    this.parser.finish();
  }

  /** The layer's contents, once every byte passed the checks and the parser. */
  result(storedBytes: number): LayerContents {
    const contents = this.#contents;
    hashHardLinks(contents.entries);
    contents.warnings = this.#warnings.toArray();
    contents.storedBytes = storedBytes;
    contents.uncompressedBytes = this.content.bytesSeen;
    return contents;
  }
}

/** Turns tar headers into entry records, hashing regular-file bodies as they pass. */
function entryCollector(
  contents: LayerContents,
  { label, contentKey }: TarReadOptions,
  warnings: WarningList,
): (header: TarHeader) => BodySink | null {
  let metadataBytes = 0;
  return (header) => {
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
    if (header.size === 0) {
      entries.setEmptyContent(index);
      // An emptied database says "no packages": kept, so the inventory does not read an older one.
      if (packageMetadataLimit(path) > 0) entries.setPackageMetadata(index, Buffer.alloc(0));
      return null;
    }
    const hash = new ContentHasher(contentKey);
    // Likely credential files (by name) are also scanned, and account files read for their
    // ids; only the kinds of secret found and the name/id pairs are kept.
    const checks = secretChecks(path);
    const accounts = isAccountFile(path);
    // Package metadata is kept whole or not at all: a cut-off database would list wrong packages.
    const metadataLimit = packageMetadataLimit(path);
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
  /** By target path: the index of the file last written there (or -1: something else). */
  const targets = new Map<string, number>();
  for (let index = 0; index < entries.length; index++) {
    const target = entries.type(index) === 'hardlink' ? entries.linkTarget(index) : undefined;
    if (target !== undefined) targets.set(target, -1);
  }
  if (targets.size === 0) return;
  for (let index = 0; index < entries.length; index++) {
    const type = entries.type(index);
    const path = entries.path(index);
    // A path under a target makes the target a directory before this entry applies, as the merge
    // does, so a link written after it shares no file's bytes (a tar that nests under a file).
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      const parent = path.slice(0, slash);
      if (targets.has(parent)) targets.set(parent, -1);
    }
    if (type === 'hardlink') {
      const file = targets.get(entries.linkTarget(index) ?? '') ?? -1;
      if (file >= 0) entries.shareContentHash(index, file);
    }
    if (targets.has(path)) targets.set(path, type === 'file' ? index : -1);
  }
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
