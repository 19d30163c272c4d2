import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { KnownFiles, TarMember } from '../cache/index.js';
import { InputFormatError } from '../errors.js';
import {
  applyExtensions,
  BLOCK_SIZE as BLOCK,
  bodyLength,
  cString,
  decodeHeader,
  isZeroBlock,
  paddedLength,
  parsePaxRecords,
} from '../layers/tar-header.js';
import type { FileRegion } from '../layers/index.js';
import { type ArchiveFiles, memberName, READ_CHUNK_BYTES } from './archive-files.js';

/** PAX and GNU long-name bodies are metadata: a megabyte is already absurd. */
const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * An image archive that is a tar file, indexed by reading only its headers: member bodies are
 * skipped with a seek, so indexing a multi-GB `docker save` costs a few reads. The reads are
 * synchronous: a few blocks from the page cache each, less than a trip through libuv's pool.
 */
export class TarFiles implements ArchiveFiles {
  private constructor(
    readonly location: string,
    private readonly members: ReadonlyMap<string, TarMember>,
  ) {}

  /**
   * The archive at `path`, its headers read, or its members as an earlier run indexed the file
   * unchanged (`known`: none with --no-cache).
   */
  static async index(path: string, known: KnownFiles | null = null): Promise<TarFiles> {
    const stored = known?.members(path) ?? null;
    if (stored !== null) return new TarFiles(path, stored);
    const fd = openSync(path, 'r');
    try {
      const members = indexMembers(fd, fstatSync(fd).size, path);
      known?.rememberMembers(path, members);
      return new TarFiles(path, members);
    } finally {
      closeSync(fd);
    }
  }

  /** Member names, for messages and format detection. */
  names(): string[] {
    return [...this.members.keys()];
  }

  private member(name: string): TarMember {
    const member = this.members.get(memberName(name, this.location));
    if (member === undefined)
      throw new InputFormatError(`${this.location}: ${name} is missing from the archive`);
    return member;
  }

  async has(name: string): Promise<boolean> {
    return this.members.has(memberName(name, this.location));
  }

  async size(name: string): Promise<number> {
    return this.member(name).size;
  }

  async region(name: string): Promise<FileRegion> {
    const { offset, size } = this.member(name);
    return { path: this.location, offset, length: size };
  }

  open(name: string): Readable {
    const { offset, size } = this.member(name);
    // createReadStream cannot express an empty range (end is inclusive).
    if (size === 0) return Readable.from([]);
    return createReadStream(this.location, {
      start: offset,
      end: offset + size - 1,
      highWaterMark: READ_CHUNK_BYTES,
    });
  }
}

function indexMembers(fd: number, fileSize: number, location: string): Map<string, TarMember> {
  const members = new Map<string, TarMember>();
  const links = new Map<string, string>();
  const block = Buffer.alloc(BLOCK);
  let offset = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Map<string, string> | null = null;

  for (;;) {
    if (offset + BLOCK > fileSize) {
      if (offset === fileSize && offset > 0) break; // archive without end-of-archive blocks
      throw new InputFormatError(
        offset === 0 ? `${location}: not a tar archive (too short)` : `${location}: truncated archive`,
      );
    }
    readExactly(fd, block, offset);
    if (isZeroBlock(block)) break;
    const decoded = decodeHeader(block);
    if (!decoded.ok) {
      throw new InputFormatError(
        offset === 0
          ? `${location}: not a tar archive`
          : `${location}: corrupt tar header at offset ${offset} (${decoded.reason})`,
      );
    }
    const isMetadata = ['L', 'K', 'x', 'g'].includes(decoded.header.type);
    const header = isMetadata ? decoded.header : applyExtensions(decoded.header, pax, longName, longLink);
    const dataOffset = offset + BLOCK;
    const size = bodyLength(header);
    if (dataOffset + size > fileSize) {
      throw new InputFormatError(
        `${location}: truncated archive: "${header.name}" needs ${size} bytes but the file ends ${fileSize - dataOffset} bytes after its header`,
      );
    }
    offset = dataOffset + paddedLength(size);

    if (isMetadata) {
      if (size > MAX_METADATA_BYTES)
        throw new InputFormatError(`${location}: corrupt tar: a ${size}-byte metadata entry`);
      const body = Buffer.alloc(size);
      readExactly(fd, body, dataOffset);
      if (header.type === 'L') longName = cString(body);
      else if (header.type === 'K') longLink = cString(body);
      else if (header.type === 'x') pax = parsePaxRecords(body);
      continue;
    }
    const { name, linkname } = header;
    longName = longLink = pax = null;

    if (header.type === '5') continue;
    const key = safeMemberName(name);
    if (key === null) continue;
    if (header.type === '2' || header.type === '1') {
      // docker save links a layer shared by two images: "<id>/layer.tar -> ../<other>/layer.tar".
      const base = header.type === '2' ? key.split('/').slice(0, -1).concat(linkname).join('/') : linkname;
      const target = safeMemberName(base);
      if (target !== null) links.set(key, target);
      continue;
    }
    members.set(key, { offset: dataOffset, size });
  }
  for (const [name, target] of links) {
    const member = resolveLink(target, members, links);
    if (member !== undefined) members.set(name, member);
  }
  return members;
}

function resolveLink(
  target: string,
  members: Map<string, TarMember>,
  links: Map<string, string>,
): TarMember | undefined {
  let current = target;
  for (let hops = 0; hops < 16; hops++) {
    const member = members.get(current);
    if (member !== undefined) return member;
    const next = links.get(current);
    if (next === undefined) return undefined;
    current = next;
  }
  return undefined;
}

function safeMemberName(name: string): string | null {
  try {
    return memberName(name, '');
  } catch {
    return null;
  }
}

function readExactly(fd: number, buffer: Buffer, position: number): void {
  let done = 0;
  while (done < buffer.length) {
    const bytesRead = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new InputFormatError('truncated archive');
    done += bytesRead;
  }
}
