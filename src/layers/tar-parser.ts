import {
  applyExtensions,
  BLOCK_SIZE,
  bodyLength,
  cString,
  decodeHeader,
  isZeroBlock,
  paddedLength,
  parsePaxRecords,
  type TarHeader,
} from './tar-header.js';
import type { ChunkConsumer } from './stream-adapters.js';

/**
 * Receives an entry's body bytes; returned by the entry callback for bodies worth reading. A
 * chunk is valid during the call only (its buffer may be filled again): copy what is kept.
 */
export interface BodySink {
  update(chunk: Buffer): void;
  end(): void;
}

/** A malformed tar stream; the layer reader adds which layer it was. */
export class TarFormatError extends Error {}

/** PAX and GNU long-name bodies are metadata: a megabyte is already absurd. */
const MAX_METADATA_BYTES = 1024 * 1024;

type State = 'header' | 'body' | 'metadata' | 'ended';

/**
 * A streaming tar parser. It stops at the end-of-archive marker as Go's archive/tar (and so
 * dive) does: eStargz layers keep a TOC entry after that marker which is not part of the
 * filesystem. Bodies are handed to a sink or skipped; nothing is buffered but one header. In a
 * pipeline, a `consumerStream` of it (stream-adapters.ts).
 */
export class TarParser implements ChunkConsumer {
  private state: State = 'header';
  /** A header split between chunks, put together. */
  private readonly block = Buffer.alloc(BLOCK_SIZE);
  private blockFill = 0;
  private offset = 0;
  private headerOffset = 0;
  /** The entry being read, for the message when the stream ends inside it. */
  private entryName = '';
  private entryLength = 0;
  private zeroBlocks = 0;
  private remaining = 0;
  private padding = 0;
  private sink: BodySink | null = null;
  private metadataType = '';
  private metadata: Buffer[] = [];
  private pax: Map<string, string> | null = null;
  private longName: string | null = null;
  private longLink: string | null = null;

  /** `onEntry` is told each entry's header and where its body starts in the stream. */
  constructor(private readonly onEntry: (header: TarHeader, bodyOffset: number) => BodySink | null) {}

  /** The end of the tar: throws where the stream ended inside an entry. */
  end(): void {
    // Like Go's reader, a stream may end right after an entry, with or without the end marker.
    if (this.state === 'ended' || (this.state === 'header' && this.blockFill === 0)) return;
    throw new TarFormatError(this.truncation());
  }

  /** Says where a stream that ended early stopped: a declared size is the usual liar. */
  private truncation(): string {
    if (this.state === 'header') {
      return `truncated layer: the stream ends inside the header block at offset ${this.offset - this.blockFill}`;
    }
    const what =
      this.state === 'metadata' ? `the ${this.metadataType} metadata entry` : `"${this.entryName}"`;
    const read = this.entryLength - this.remaining;
    if (this.remaining === 0) {
      return `truncated layer: the stream ends in the padding after ${what} at offset ${this.headerOffset}`;
    }
    return `truncated layer: ${what} at offset ${this.headerOffset} declares ${this.entryLength} bytes but the stream ends ${read} bytes into it`;
  }

  /**
   * Parses the next bytes. Nothing keeps a view of `chunk` afterwards, so a reader may fill the
   * same buffer again.
   */
  take(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.state === 'ended') return;
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - pos);
        const part = chunk.subarray(pos, pos + take);
        if (this.state === 'metadata') this.metadata.push(Buffer.from(part));
        else this.sink?.update(part);
        this.remaining -= take;
        pos += take;
        this.offset += take;
        if (this.remaining === 0) this.finishBody();
        continue;
      }
      if (this.padding > 0) {
        const take = Math.min(this.padding, chunk.length - pos);
        this.padding -= take;
        pos += take;
        this.offset += take;
        continue;
      }
      if (this.blockFill === 0 && chunk.length - pos >= BLOCK_SIZE) {
        // A whole header in the chunk is decoded where it is: no copy, nor Buffer's copy code (run
        // cold for much of a layer, as the reader's first layer is).
        pos += BLOCK_SIZE;
        this.offset += BLOCK_SIZE;
        this.onHeaderBlock(chunk.subarray(pos - BLOCK_SIZE, pos));
        continue;
      }
      const take = Math.min(BLOCK_SIZE - this.blockFill, chunk.length - pos);
      chunk.copy(this.block, this.blockFill, pos, pos + take);
      this.blockFill += take;
      pos += take;
      this.offset += take;
      if (this.blockFill === BLOCK_SIZE) {
        this.blockFill = 0;
        this.onHeaderBlock(this.block);
      }
    }
  }

  /** A header block: a view of the chunk or the parser's own copy, not kept past the call. */
  private onHeaderBlock(block: Buffer): void {
    const blockOffset = this.offset - BLOCK_SIZE;
    if (isZeroBlock(block)) {
      this.zeroBlocks++;
      if (this.zeroBlocks === 2) this.state = 'ended';
      return;
    }
    if (this.zeroBlocks > 0)
      throw new TarFormatError(`corrupt tar: data after a zero block at offset ${blockOffset}`);
    const decoded = decodeHeader(block);
    if (!decoded.ok) {
      throw new TarFormatError(
        blockOffset === 0
          ? 'not a tar stream'
          : `corrupt tar header at offset ${blockOffset} (${decoded.reason})`,
      );
    }
    this.headerOffset = blockOffset;
    const raw = decoded.header;
    if (raw.type === 'x' || raw.type === 'g' || raw.type === 'L' || raw.type === 'K') {
      if (raw.size > MAX_METADATA_BYTES) {
        throw new TarFormatError(`corrupt tar: a ${raw.size}-byte metadata entry at offset ${blockOffset}`);
      }
      this.state = 'metadata';
      this.metadataType = raw.type;
      this.metadata = [];
      this.startBody(raw.size);
      return;
    }
    const header = applyExtensions(raw, this.pax, this.longName, this.longLink);
    this.pax = this.longName = this.longLink = null;
    this.state = 'body';
    this.entryName = header.name;
    this.sink = this.onEntry(header, this.offset);
    this.startBody(bodyLength(header));
  }

  private startBody(length: number): void {
    this.entryLength = length;
    this.remaining = length;
    this.padding = paddedLength(length) - length;
    if (length === 0) this.finishBody();
  }

  private finishBody(): void {
    if (this.state === 'metadata') {
      const body = Buffer.concat(this.metadata);
      if (this.metadataType === 'x') this.pax = parsePaxRecords(body);
      else if (this.metadataType === 'L') this.longName = cString(body);
      else if (this.metadataType === 'K') this.longLink = cString(body);
      this.metadata = [];
    } else {
      this.sink?.end();
      this.sink = null;
    }
    this.state = 'header';
  }
}
