/**
 * Minimal OCI layouts for registry tests (pushed with skopeo). The project's general image
 * builder lives in image-builder.ts; this one only needs deterministic small images and a
 * two-platform index, with layer bytes the tests can compare.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TestLayer {
  files: Record<string, string | Buffer>;
}

export interface TestImage {
  /** Store layers as plain tar (for skopeo to compress on push, e.g. to zstd). */
  uncompressed?: boolean;
  platform?: { os: string; architecture: string; variant?: string };
  layers: TestLayer[];
  user?: string;
}

export interface WrittenLayer {
  digest: string;
  diffId: string;
  size: number;
  gz: Buffer;
}

export interface WrittenImage {
  manifestDigest: string;
  configDigest: string;
  layers: WrittenLayer[];
}

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.fill(' ', 148, 156);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** A plain ustar archive of regular files (names under 100 bytes). */
export async function makeLayerTar(files: Record<string, string | Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const body = typeof content === 'string' ? Buffer.from(content) : content;
    parts.push(tarHeader(name, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Incompressible bytes, so that a layer has a known large stored size. */
export function noise(bytes: number, seed = 1): Buffer {
  const out = Buffer.alloc(bytes);
  let block = createHash('sha256').update(String(seed)).digest();
  for (let i = 0; i < bytes; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

async function writeBlob(dir: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return digest;
}

async function writeImage(dir: string, image: TestImage): Promise<WrittenImage & { manifestSize: number }> {
  const layers: WrittenLayer[] = [];
  for (const layer of image.layers) {
    const raw = await makeLayerTar(layer.files);
    const gz = image.uncompressed === true ? raw : gzipSync(raw, { level: 1 });
    const digest = await writeBlob(dir, gz);
    layers.push({ digest, diffId: sha256(raw), size: gz.length, gz });
  }
  const platform = image.platform ?? { os: 'linux', architecture: 'amd64' };
  const config = {
    ...platform,
    created: '2024-01-01T00:00:00Z',
    config: { User: image.user ?? '', Env: ['PATH=/usr/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: '2024-01-01T00:00:00Z', created_by: `/bin/sh -c step ${i}` })),
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = await writeBlob(dir, configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: configBytes.length,
    },
    layers: layers.map((l) => ({
      mediaType: `application/vnd.oci.image.layer.v1.tar${image.uncompressed === true ? '' : '+gzip'}`,
      digest: l.digest,
      size: l.size,
    })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = await writeBlob(dir, manifestBytes);
  return { manifestDigest, configDigest, layers, manifestSize: manifestBytes.length };
}

async function initLayout(dir: string): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
}

/** An OCI layout with one image tagged `tag`. */
export async function writeTestLayout(dir: string, image: TestImage, tag = 'latest'): Promise<WrittenImage> {
  await initLayout(dir);
  const written = await writeImage(dir, image);
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: written.manifestDigest,
        size: written.manifestSize,
        annotations: { 'org.opencontainers.image.ref.name': tag },
      },
    ],
  };
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
  return written;
}

/** An OCI layout whose `tag` is an image index of several platforms (plus an attestation-like entry when asked). */
export async function writeTestIndexLayout(
  dir: string,
  images: TestImage[],
  tag = 'latest',
): Promise<{ indexDigest: string; images: WrittenImage[] }> {
  await initLayout(dir);
  const written = [];
  for (const image of images) written.push(await writeImage(dir, image));
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: written.map((w, i) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: w.manifestDigest,
      size: w.manifestSize,
      platform: images[i]?.platform ?? { os: 'linux', architecture: 'amd64' },
    })),
  };
  const indexBytes = Buffer.from(JSON.stringify(index));
  const indexDigest = await writeBlob(dir, indexBytes);
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: indexDigest,
          size: indexBytes.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { indexDigest, images: written };
}

export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
