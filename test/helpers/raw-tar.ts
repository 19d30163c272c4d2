// Hand-encoded tar entries and images built from raw layer bytes, for inputs no well-behaved
// tar writer produces: wrong checksums, declared sizes the archive does not hold, GNU long
// names, non-UTF-8 names. The image builder (image-builder.ts) covers everything well-formed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeArchive, type ArchiveMember } from './archive-writer.js';
import { tempDir } from './temp.js';

export interface RawHeader {
  /** Bytes are written as given (non-UTF-8 names); strings as UTF-8. */
  name: string | Buffer;
  /** Typeflag character: '0' file (default), '1' hard link, '2' symlink, '5' directory, 'L', 'x'... */
  type?: string;
  /** Declared size; defaults to the body's length. Above 8 GiB it is written in GNU base-256. */
  size?: number;
  linkname?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Adds this to the correct checksum (a corrupt header). */
  checksumError?: number;
}

const BLOCK = 512;

function octal(value: number, width: number): Buffer {
  return Buffer.from(value.toString(8).padStart(width - 1, '0') + '\0', 'latin1');
}

function base256(value: number, width: number): Buffer {
  const field = Buffer.alloc(width);
  let rest = BigInt(value);
  for (let i = width - 1; i > 0; i--) {
    field[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  field[0] = 0x80;
  return field;
}

/** One ustar header block. */
export function tarHeader(header: RawHeader, bodyLength = 0): Buffer {
  const block = Buffer.alloc(BLOCK);
  const name = typeof header.name === 'string' ? Buffer.from(header.name) : header.name;
  if (name.length > 100) throw new Error(`raw tar name longer than 100 bytes: use gnuLongName or pax`);
  name.copy(block, 0);
  octal(header.mode ?? 0o644, 8).copy(block, 100);
  octal(header.uid ?? 0, 8).copy(block, 108);
  octal(header.gid ?? 0, 8).copy(block, 116);
  const size = header.size ?? bodyLength;
  (size < 8 ** 11 ? octal(size, 12) : base256(size, 12)).copy(block, 124);
  octal(1704067200, 12).copy(block, 136);
  block.write((header.type ?? '0').slice(0, 1), 156, 'latin1');
  const link = typeof header.linkname === 'string' ? Buffer.from(header.linkname) : header.linkname;
  link?.copy(block, 157);
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  octal(sum + (header.checksumError ?? 0), 7).copy(block, 148);
  return block;
}

function padded(body: Buffer): Buffer {
  const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
  return Buffer.concat([body, Buffer.alloc(pad)]);
}

/** Header, body and padding (the padding follows the body given, whatever size is declared). */
export function tarEntry(header: RawHeader, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([tarHeader(header, body.length), padded(body)]);
}

/** A GNU long name ('L') or long link ('K') entry, to precede the entry it names. */
export function gnuLong(name: string | Buffer, type: 'L' | 'K' = 'L'): Buffer {
  const body = Buffer.concat([typeof name === 'string' ? Buffer.from(name) : name, Buffer.alloc(1)]);
  return tarEntry({ name: '././@LongLink', type }, body);
}

/** A PAX extended header ('x') with the given records, to precede the entry it describes. */
export function paxHeader(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const text = ` ${key}=${value}\n`;
    const base = Buffer.byteLength(text);
    // The length counts its own digits.
    let length = base + String(base).length;
    if (String(length).length > String(base).length) length = base + String(length).length;
    return `${length}${text}`;
  });
  return tarEntry({ name: 'PaxHeaders/entry', type: 'x' }, Buffer.from(lines.join('')));
}

/** Entries followed by the two zero blocks that end an archive. */
export function rawTar(entries: Buffer[]): Buffer {
  return Buffer.concat([...entries, Buffer.alloc(2 * BLOCK)]);
}

export const sha256 = (data: Buffer | string): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface RawLayer {
  /** The uncompressed tar. */
  tar: Buffer;
  compression?: 'gzip' | 'zstd';
  /** Breaks the stored blob after compression (the diff_id still names the intact tar). */
  mutateBlob?: (blob: Buffer) => Buffer;
}

const SUFFIX = { none: '.tar', gzip: '.tar.gz', zstd: '.tar.zst' } as const;

/** The blob as stored: compressed as asked, then broken as asked. */
export function layerBlob(layer: RawLayer): Buffer {
  const compressed =
    layer.compression === 'gzip'
      ? gzipSync(layer.tar)
      : layer.compression === 'zstd'
        ? execFileSync('zstd', ['-q', '-c', '-3'], { input: layer.tar, maxBuffer: 1 << 30 })
        : layer.tar;
  return layer.mutateBlob === undefined ? compressed : layer.mutateBlob(Buffer.from(compressed));
}

export interface RawImageOptions {
  /** Overrides the config's rootfs.diff_ids (default: the sha256 of each tar). */
  diffIds?: string[];
  /** Replaces the config document (bytes written as given). */
  configBytes?: Buffer;
  /** Replaces manifest.json (bytes written as given). */
  manifestBytes?: Buffer;
}

/**
 * A docker-archive in skopeo's layout (`<diffid>.tar` layers, `<config digest>.json`,
 * manifest.json) holding layers given as bytes.
 */
export async function writeRawDockerArchive(
  layers: RawLayer[],
  options: RawImageOptions = {},
  file?: string,
): Promise<string> {
  const target = file ?? join(await tempDir(), 'raw-image.tar');
  const diffIds = options.diffIds ?? layers.map((layer) => sha256(layer.tar));
  const config =
    options.configBytes ??
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Env: ['PATH=/usr/bin:/bin'] },
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: layers.map((_, i) => ({ created_by: `/bin/sh -c step ${i}` })),
      }),
    );
  const configName = `${sha256(config).slice('sha256:'.length)}.json`;
  const members: ArchiveMember[] = [];
  const names: string[] = [];
  for (const layer of layers) {
    const blob = layerBlob(layer);
    const name = `${sha256(blob).slice('sha256:'.length)}${SUFFIX[layer.compression ?? 'none']}`;
    if (!names.includes(name)) members.push({ name, content: blob });
    names.push(name);
  }
  members.push({ name: configName, content: config });
  const manifest =
    options.manifestBytes ??
    Buffer.from(JSON.stringify([{ Config: configName, RepoTags: ['raw:latest'], Layers: names }]));
  members.push({ name: 'manifest.json', content: manifest });
  await writeArchive(target, members);
  return target;
}

/** Writes bytes to a fresh temporary file. */
export async function writeTempFile(name: string, bytes: Buffer): Promise<string> {
  const file = join(await tempDir(), name);
  await writeFile(file, bytes);
  return file;
}
