// An OCI layout whose one gzip layer holds `count` files (1000 per directory): empty, each with
// 16 bytes of its own (small), hard links to the first (links), or whiteouts of paths no layer
// holds (whiteouts); streamed to disk: the million-file layer of the hostile-input catalogue,
// without holding it in memory. The same layer as a docker-archive is what dive reads (the
// benchmark's anchor).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { tarHeader } from './raw-tar.js';

class Hashing extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

const CONTENT_BYTES = 16;

export type ManyFilesKind = 'empty' | 'small' | 'links' | 'whiteouts';

function* entries(count: number, kind: ManyFilesKind): Generator<Buffer> {
  const batch: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 1000 === 0) batch.push(tarHeader({ name: `data/d${i / 1000}/`, type: '5', mode: 0o755 }));
    const name = `data/d${Math.floor(i / 1000)}/${kind === 'whiteouts' ? '.wh.' : ''}f${i % 1000}`;
    if (kind === 'links' && i > 0) {
      batch.push(tarHeader({ name, type: '1', linkname: 'data/d0/f0' }));
    } else if (kind === 'small') {
      batch.push(tarHeader({ name }, CONTENT_BYTES));
      const body = Buffer.alloc(512);
      body.write(String(i).padStart(CONTENT_BYTES, '0'), 'latin1');
      batch.push(body);
    } else {
      batch.push(tarHeader({ name }));
    }
    if (batch.length >= 2048) yield Buffer.concat(batch.splice(0));
  }
  batch.push(Buffer.alloc(1024));
  yield Buffer.concat(batch);
}

const hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The image config of the one layer whose tar has the sha256 `diffId` (hex). */
function configOf(count: number, kind: ManyFilesKind, diffId: string): string {
  return JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created_by: `/bin/sh -c create ${count} ${kind} files` }],
  });
}

/** Writes the layout into `dir`; returns the layer's uncompressed and stored sizes. */
export async function writeManyFilesLayout(
  dir: string,
  count: number,
  kind: ManyFilesKind = 'empty',
): Promise<{ tarBytes: number; blobBytes: number }> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const tarHash = new Hashing();
  const blobHash = new Hashing();
  const temp = join(blobs, 'layer.tmp');
  await pipeline(
    Readable.from(entries(count, kind)),
    tarHash,
    createGzip({ level: 1 }),
    blobHash,
    createWriteStream(temp),
  );
  const layerDigest = blobHash.hash.digest('hex');
  await rename(temp, join(blobs, layerDigest));
  const config = configOf(count, kind, tarHash.hash.digest('hex'));
  await writeFile(join(blobs, hex(config)), config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: `sha256:${hex(config)}`,
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: `sha256:${layerDigest}`,
        size: blobHash.bytes,
      },
    ],
  });
  await writeFile(join(blobs, hex(manifest)), manifest);
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion": "1.0.0"}');
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${hex(manifest)}`,
          size: manifest.length,
        },
      ],
    }),
  );
  return { tarBytes: tarHash.bytes, blobBytes: blobHash.bytes };
}

/**
 * Writes the same image as a docker-archive at `file`, as `docker save` writes one (the layer an
 * uncompressed `layer.tar`); returns the layer's size. The layer goes to a file beside it first:
 * its size and digest come before it in the archive.
 */
export async function writeManyFilesDockerArchive(
  file: string,
  count: number,
  kind: ManyFilesKind = 'empty',
): Promise<{ tarBytes: number }> {
  const layerFile = `${file}.layer.tmp`;
  const tarHash = new Hashing();
  await pipeline(Readable.from(entries(count, kind)), tarHash, createWriteStream(layerFile));
  const diffId = tarHash.hash.digest('hex');
  const config = configOf(count, kind, diffId);
  const manifest = JSON.stringify([
    { Config: `${hex(config)}.json`, RepoTags: [`many-files:${kind}`], Layers: [`${diffId}/layer.tar`] },
  ]);
  const padding = (bytes: number): Buffer => Buffer.alloc((512 - (bytes % 512)) % 512);
  async function* members(): AsyncGenerator<Buffer> {
    yield tarHeader({ name: `${diffId}/layer.tar` }, tarHash.bytes);
    for await (const chunk of createReadStream(layerFile)) yield chunk as Buffer;
    yield padding(tarHash.bytes);
    for (const [name, text] of [
      [`${hex(config)}.json`, config],
      ['manifest.json', manifest],
    ] as const) {
      const body = Buffer.from(text);
      yield Buffer.concat([tarHeader({ name }, body.length), body, padding(body.length)]);
    }
    yield Buffer.alloc(1024);
  }
  try {
    await pipeline(Readable.from(members()), createWriteStream(`${file}.tmp`));
    await rename(`${file}.tmp`, file);
  } finally {
    await rm(layerFile, { force: true });
    await rm(`${file}.tmp`, { force: true });
  }
  return { tarBytes: tarHash.bytes };
}
