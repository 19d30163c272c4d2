import { Transform, type TransformCallback } from 'node:stream';
import { Decompress } from 'fzstd';
import xxhash, { type XXHash, type XXHashAPI } from 'xxhash-wasm';

// Frame layout from RFC 8878 section 3.1. fzstd decodes the blocks but skips the optional
// Content_Checksum unread, so this transform finds the frame boundaries itself, feeds fzstd
// one frame at a time and checks each frame's XXH64 (low 32 bits, seed 0).

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC = 0x184d2a50; // 0x184D2A50..0x184D2A5F
const MAGIC_BYTES = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

type State =
  | 'magic'
  | 'skippable-size'
  | 'skippable-body'
  | 'frame-descriptor'
  | 'frame-header-rest'
  | 'block-header'
  | 'block-body'
  | 'checksum';

/** Where a state that collects a fixed-size field gets its bytes; the others skip `need` bytes. */
const COLLECTS: Record<State, boolean> = {
  magic: true,
  'skippable-size': true,
  'skippable-body': false,
  'frame-descriptor': true,
  'frame-header-rest': false,
  'block-header': true,
  'block-body': false,
  checksum: true,
};

interface Frame {
  readonly inflater: Decompress;
  /** Null when the frame stores no checksum. */
  hash: XXHash<bigint> | null;
  lastBlock: boolean;
}

/** What a completed field or skip did to the frame. */
type Step = 'frame-start' | 'frame-end' | 'none';

let xxhashApi: Promise<XXHashAPI> | undefined;

/** A zstd decompressor as a Node transform (Node 20's zlib has no zstd) that verifies content checksums. */
export class ZstdDecompress extends Transform {
  private create64: XXHashAPI['create64'] | undefined;
  private state: State = 'magic';
  /** Bytes still to collect or skip in the current state. */
  private need = 4;
  private readonly field = Buffer.alloc(4);
  private fieldLength = 0;
  private frame: Frame | null = null;
  /** Stream offset of the current frame's first byte, for messages. */
  private frameOffset = 0;
  /** Stream offset of the current chunk's first byte. */
  private offset = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.create64 !== undefined) {
      this.run(chunk, callback);
      return;
    }
    // The WebAssembly module compiles once per process, on the first zstd chunk.
    (xxhashApi ??= xxhash()).then(
      (api) => {
        this.create64 = api.create64;
        this.run(chunk, callback);
      },
      (err: unknown) => callback(asError(err)),
    );
  }

  override _flush(callback: TransformCallback): void {
    if (this.state === 'magic' && this.fieldLength === 0) return callback();
    // A frame cut inside its magic number began `fieldLength` bytes before the end.
    const start = this.state === 'magic' ? this.offset - this.fieldLength : this.frameOffset;
    callback(new Error(`unexpected end of data in the frame at byte ${start}`));
  }

  private run(chunk: Buffer, callback: TransformCallback): void {
    try {
      this.scan(chunk);
      callback();
    } catch (err) {
      callback(asError(err));
    }
  }

  private scan(chunk: Buffer): void {
    let at = 0;
    // Where this chunk's bytes of the current frame start.
    let frameFrom = 0;
    while (at < chunk.length) {
      const take = Math.min(this.need, chunk.length - at);
      if (COLLECTS[this.state]) chunk.copy(this.field, this.fieldLength, at, at + take);
      this.fieldLength += take;
      this.need -= take;
      at += take;
      if (this.need > 0) break;
      this.fieldLength = 0;
      const step = this.advance(this.offset + at);
      if (step === 'frame-start') {
        // A magic read whole from this chunk is fed to fzstd from the chunk, one split across
        // chunks (then at < 4) as the constant.
        if (at >= 4) frameFrom = at - 4;
        else {
          this.frame?.inflater.push(MAGIC_BYTES);
          frameFrom = at;
        }
      } else if (step === 'frame-end') {
        this.endFrame(chunk.subarray(frameFrom, at));
      }
    }
    if (this.frame !== null && frameFrom < chunk.length) this.frame.inflater.push(chunk.subarray(frameFrom));
    this.offset += chunk.length;
  }

  /** Acts on a completed field or skip; `end` is the stream offset just past it. */
  private advance(end: number): Step {
    const field = this.field;
    switch (this.state) {
      case 'magic': {
        const magic = field.readUInt32LE(0);
        this.frameOffset = end - 4;
        if (magic === ZSTD_MAGIC) {
          this.frame = { inflater: this.inflater(), hash: null, lastBlock: false };
          this.next('frame-descriptor', 1);
          return 'frame-start';
        }
        if ((magic & 0xfffffff0) >>> 0 === SKIPPABLE_MAGIC) return this.next('skippable-size', 4);
        throw new Error(`unknown frame magic 0x${magic.toString(16).padStart(8, '0')} at byte ${end - 4}`);
      }
      case 'skippable-size': {
        const size = field.readUInt32LE(0);
        return size === 0 ? this.next('magic', 4) : this.next('skippable-body', size);
      }
      case 'skippable-body':
        return this.next('magic', 4);
      case 'frame-descriptor': {
        const descriptor = field[0] ?? 0;
        if (descriptor & 0x08)
          throw new Error(`reserved bit set in the frame header at byte ${this.frameOffset}`);
        const singleSegment = (descriptor >> 5) & 1;
        const contentSizeFlag = descriptor >> 6;
        // Window descriptor, dictionary ID, frame content size: never zero bytes in all.
        const rest =
          (singleSegment ? 0 : 1) +
          ((descriptor & 3) === 3 ? 4 : descriptor & 3) +
          (contentSizeFlag === 0 ? singleSegment : 1 << contentSizeFlag);
        if (this.frame !== null && descriptor & 0x04) this.frame.hash = this.create64?.(0n) ?? null;
        return this.next('frame-header-rest', rest);
      }
      case 'frame-header-rest':
        return this.next('block-header', 3);
      case 'block-header': {
        const header = field.readUIntLE(0, 3);
        const type = (header >> 1) & 3;
        if (type === 3) throw new Error(`reserved block type in the frame at byte ${this.frameOffset}`);
        if (this.frame !== null) this.frame.lastBlock = (header & 1) === 1;
        // Raw and compressed blocks store Block_Size bytes, an RLE block one.
        const body = type === 1 ? 1 : header >>> 3;
        return body === 0 ? this.endBlock() : this.next('block-body', body);
      }
      case 'block-body':
        return this.endBlock();
      case 'checksum':
        this.next('magic', 4);
        return 'frame-end';
    }
  }

  private endBlock(): Step {
    if (this.frame?.lastBlock !== true) return this.next('block-header', 3);
    if (this.frame.hash !== null) return this.next('checksum', 4);
    this.next('magic', 4);
    return 'frame-end';
  }

  private next(state: State, need: number): Step {
    this.state = state;
    this.need = need;
    return 'none';
  }

  /** Hands fzstd the frame's last bytes and compares the stored checksum with the content's. */
  private endFrame(tail: Buffer): void {
    const frame = this.frame;
    if (frame === null) return;
    frame.inflater.push(tail, true);
    this.frame = null;
    if (frame.hash === null) return;
    // Still the checksum field: nothing has been collected since.
    const stored = this.field.readUInt32LE(0);
    const computed = Number(frame.hash.digest() & 0xffffffffn);
    if (stored !== computed) throw new Error('content checksum mismatch');
  }

  private inflater(): Decompress {
    return new Decompress((chunk: Uint8Array) => {
      if (chunk.byteLength === 0) return;
      this.frame?.hash?.update(chunk);
      this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
