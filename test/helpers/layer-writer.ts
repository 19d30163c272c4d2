// Streams one layer (a tar of EntrySpecs, optionally gzip/zstd compressed) to a file, hashing
// both the uncompressed tar (diffID) and the stored blob (digest) on the way. Nothing larger
// than one chunk is held in memory, so multi-hundred-MB layers are fine.
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { posix } from 'node:path';
import { Duplex, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar, { type Header, type Pack } from 'tar-stream';
import { fillChunks, type FillKind } from './fill.js';

/** A tar header as tar-stream takes it: only the name is required. */
export type TarHeader = Partial<Header> & Pick<Header, 'name'>;

export type EntrySpec =
  | {
      type: 'file';
      path: string;
      content?: string | Buffer;
      /** Without content: deterministic bytes of this size, seeded by `seed` (default: the path). */
      size?: number;
      seed?: string;
      fill?: FillKind;
      mode?: number;
      uid?: number;
      gid?: number;
      mtime?: Date;
    }
  | { type: 'dir'; path: string; mode?: number; uid?: number; gid?: number; mtime?: Date }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string }
  /** Writes `<dir>/.wh.<name>`: deletes `path` from the layers below. */
  | { type: 'whiteout'; path: string }
  /** Writes `<dir>/.wh..wh..opq`: hides everything below `dir` in the layers below. */
  | { type: 'opaque'; dir: string }
  /** Written as given (mtime defaults to the fixed one): for hostile archives. */
  | { type: 'raw'; header: TarHeader; content?: Buffer };

export type Compression = 'none' | 'gzip' | 'zstd';

export interface LayerSpec {
  entries: EntrySpec[] | (() => AsyncIterable<EntrySpec>);
  createdBy?: string;
  comment?: string;
  compression?: Compression;
  /** gzip level (default 6, what Go's gzip.DefaultCompression and most builders use). */
  gzipLevel?: number;
  /** zstd level (default 3, the zstd and containerd default). */
  zstdLevel?: number;
}

export interface LayerBlob {
  /** sha256 of the uncompressed tar. */
  diffId: string;
  /** sha256 of the stored blob (equals diffId when uncompressed). */
  digest: string;
  /** Bytes of the stored blob. */
  size: number;
  uncompressedSize: number;
  compression: Compression;
}

/** Entry mtime when a spec gives none: fixed so the same spec always gives the same digests. */
export const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');

export const OCI_LAYER_MEDIA_TYPES: Record<Compression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

/** Tar names as Docker writes them: relative, no leading `/` or `./`. */
export function tarPath(p: string): string {
  return p.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
}

function entryPath(e: EntrySpec): string {
  if (e.type === 'raw') return tarPath(e.header.name);
  if (e.type === 'opaque') return `${tarPath(e.dir)}/.wh..wh..opq`;
  return tarPath(e.path);
}

/**
 * Adds the parent directories Docker would put in a layer before each entry (mode 0755),
 * unless the spec lists them already. List a directory before its contents to choose its mode.
 */
export function withParentDirs(entries: EntrySpec[]): EntrySpec[] {
  const have = new Set<string>();
  const out: EntrySpec[] = [];
  for (const e of entries) {
    const parts = entryPath(e).split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!have.has(d)) {
        have.add(d);
        out.push({ type: 'dir', path: d });
      }
    }
    if (e.type === 'dir') {
      if (have.has(tarPath(e.path))) continue;
      have.add(tarPath(e.path));
    }
    out.push(e);
  }
  return out;
}

function whiteoutName(p: string): string {
  const clean = tarPath(p);
  const dir = posix.dirname(clean);
  return `${dir === '.' ? '' : `${dir}/`}.wh.${posix.basename(clean)}`;
}

/** Waits for a writable to accept more; fails instead of hanging if it dies meanwhile. */
function drained(sink: ReturnType<Pack['entry']>): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      sink.off('drain', onDrain);
      sink.off('error', onError);
      sink.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('tar entry closed before it was written'));
    sink.on('drain', onDrain);
    sink.on('error', onError);
    sink.on('close', onClose);
  });
}

/** Adds one entry whose body comes from `chunks` (sizes must add up to header.size). */
export function packStreamed(
  pack: Pack,
  header: TarHeader,
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
    (async () => {
      for await (const chunk of chunks) {
        if (!sink.write(chunk)) await drained(sink);
      }
      sink.end(undefined);
    })().catch((err: unknown) => {
      sink.destroy(err instanceof Error ? err : new Error(String(err)));
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}

const EMPTY = Buffer.alloc(0);

/** Adds one entry with an in-memory body (none for directories and links). */
export function packBuffer(pack: Pack, header: TarHeader, body?: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(err) : resolve());
    // A file entry without a body would wait forever for its end: give it an empty one.
    const hasBody = header.type === 'file' || header.type === 'contiguous-file' || header.type === undefined;
    if (body || hasBody) pack.entry(header, body ?? EMPTY, cb);
    else pack.entry(header, cb);
  });
}

async function packEntry(pack: Pack, e: EntrySpec): Promise<void> {
  switch (e.type) {
    case 'file': {
      const header: TarHeader = {
        name: tarPath(e.path),
        type: 'file',
        mode: e.mode ?? 0o644,
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        mtime: e.mtime ?? FIXED_MTIME,
      };
      if (e.content !== undefined) {
        const body = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
        header.size = body.length;
        return packBuffer(pack, header, body);
      }
      header.size = e.size ?? 0;
      if (!header.size) return packBuffer(pack, header);
      return packStreamed(pack, header, fillChunks(e.seed ?? e.path, header.size, e.fill));
    }
    case 'dir':
      return packBuffer(pack, {
        name: `${tarPath(e.path)}/`,
        type: 'directory',
        mode: e.mode ?? 0o755,
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        mtime: e.mtime ?? FIXED_MTIME,
      });
    case 'symlink':
      // The target is kept verbatim: absolute and relative targets both occur in real layers.
      return packBuffer(pack, {
        name: tarPath(e.path),
        type: 'symlink',
        linkname: e.target,
        mode: 0o777,
        mtime: FIXED_MTIME,
      });
    case 'hardlink':
      // Hard link targets are archive paths, relative like every other name.
      return packBuffer(pack, {
        name: tarPath(e.path),
        type: 'link',
        linkname: tarPath(e.target),
        mode: 0o644,
        mtime: FIXED_MTIME,
      });
    case 'whiteout':
      return packBuffer(pack, { name: whiteoutName(e.path), type: 'file', size: 0, mtime: FIXED_MTIME });
    case 'opaque':
      return packBuffer(pack, {
        name: `${tarPath(e.dir)}/.wh..wh..opq`,
        type: 'file',
        size: 0,
        mtime: FIXED_MTIME,
      });
    case 'raw':
      return packBuffer(pack, { mtime: FIXED_MTIME, ...e.header }, e.content);
  }
}

async function* entriesOf(layer: LayerSpec): AsyncGenerator<EntrySpec> {
  if (Array.isArray(layer.entries)) yield* layer.entries;
  else yield* layer.entries();
}

/** Passes bytes through while hashing and counting them. */
class HashTap extends Transform {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

/** `zstd` CLI as a pipe: stdin -> stdout. `done` settles when the process exits. */
function zstdStream(level: number): { stream: Duplex; done: Promise<void>; kill: () => void } {
  const child = spawn('zstd', ['-q', '-c', `-${level}`, '--no-progress'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`zstd exited with ${code ?? signal}: ${stderr.trim()}`)),
    );
  });
  return {
    stream: Duplex.from({ writable: child.stdin, readable: child.stdout }),
    done,
    kill: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

/** Streams the layer's tar (compressed as asked) into `file`. */
export async function writeLayerBlob(layer: LayerSpec, file: string): Promise<LayerBlob> {
  const compression = layer.compression ?? 'none';
  const pack = tar.pack();
  const diffTap = new HashTap();
  const blobTap = new HashTap();
  const stages: (NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream)[] = [
    Readable.from(pack, { objectMode: false }),
    diffTap,
  ];
  let zstd: ReturnType<typeof zstdStream> | undefined;
  if (compression === 'gzip') stages.push(createGzip({ level: layer.gzipLevel ?? 6 }));
  if (compression === 'zstd') {
    zstd = zstdStream(layer.zstdLevel ?? 3);
    stages.push(zstd.stream);
  }
  if (compression !== 'none') stages.push(blobTap);
  stages.push(createWriteStream(file));

  const produce = (async () => {
    try {
      for await (const entry of entriesOf(layer)) await packEntry(pack, entry);
      pack.finalize();
    } catch (err) {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  })();
  try {
    await Promise.all([produce, pipeline(stages), zstd?.done]);
  } catch (err) {
    zstd?.kill();
    pack.destroy();
    throw err;
  }
  const diffId = `sha256:${diffTap.hash.digest('hex')}`;
  return {
    diffId,
    digest: compression === 'none' ? diffId : `sha256:${blobTap.hash.digest('hex')}`,
    size: compression === 'none' ? diffTap.bytes : blobTap.bytes,
    uncompressedSize: diffTap.bytes,
    compression,
  };
}
