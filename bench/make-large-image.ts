// Generates the benchmark image: >= 250 MB of layer data in 20k+ files over 4 layers, with
// the cases that make merging non-trivial (overwrites, file whiteouts, a directory whiteout,
// an opaque directory). Written twice from the same spec:
//
//   DIR/large.tar       docker-archive (legacy `docker save`), uncompressed layers
//   DIR/large-oci/      OCI layout, gzip layers (level 1: compressing is not what we measure,
//                       and level 6 would double the generation time)
//   DIR/large-image.json  cache key + what was built; a later run with the same key reuses it
//
// Content is half random (incompressible, like binaries) and half text, so gzip keeps about
// two thirds of it. Run directly: node --import tsx bench/make-large-image.ts DIR
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  writeDockerArchive,
  writeOciLayout,
  type BuiltImage,
  type Compression,
  type EntrySpec,
  type ImageSpec,
  type LayerSpec,
} from '../test/helpers/image-builder.js';

/** Bump when the generated content changes, so cached images are rebuilt. */
const GENERATOR_VERSION = 1;
const GZIP_LEVEL = 1;

export interface LargeImageOptions {
  /** Bytes of file content over all layers (tar headers come on top). */
  totalBytes?: number;
  /** Regular-file entries over all layers (directories and whiteouts come on top). */
  files?: number;
}

export interface LargeImage {
  dockerArchive: string;
  ociLayout: string;
  /** Sum of the uncompressed layer tar sizes. */
  layerBytes: number;
  /** Sum of the stored gzip layer sizes in the OCI layout. */
  gzipBytes: number;
  files: number;
  layers: number;
  diffIds: string[];
  /** True when an earlier run's output was reused. */
  reused: boolean;
  /** Generation time of the run that built the image. */
  seconds: number;
}

interface CacheRecord extends Omit<LargeImage, 'reused' | 'dockerArchive' | 'ociLayout'> {
  key: { generator: number; totalBytes: number; files: number; gzipLevel: number };
  dockerArchiveSize: number;
  ociManifestDigest: string;
}

/** mulberry32: deterministic sizes and kinds. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` sizes adding up to exactly `bytes`: mostly small files, 1% large ones (~half the bytes). */
function sizes(count: number, bytes: number, seed: number): number[] {
  const rnd = prng(seed);
  const weights = Array.from({ length: count }, () => {
    const r = rnd();
    return r < 0.01 ? 60 + 80 * rnd() : 0.2 + 1.6 * rnd();
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.floor((w / total) * bytes));
  const rest = bytes - out.reduce((a, b) => a + b, 0);
  out[out.length - 1] = (out[out.length - 1] ?? 0) + rest;
  return out;
}

const pad = (n: number, w = 3) => String(n).padStart(w, '0');
const baseDir = (d: number) => `usr/share/base/d${pad(d)}`;
const baseFile = (i: number) => `${baseDir(Math.floor(i / 100))}/f${i}`;
const depDir = (d: number) => `opt/deps/m${pad(d)}`;
const depFile = (j: number) => `${depDir(Math.floor(j / 100))}/f${j}`;
const appFile = (k: number) => `app/src/p${pad(Math.floor(k / 100))}/f${k}`;

/** Emits each directory (and its parents) once, before the first entry inside it. */
function dirTracker() {
  const seen = new Set<string>();
  return (path: string): EntrySpec[] => {
    const out: EntrySpec[] = [];
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!seen.has(d)) {
        seen.add(d);
        out.push({ type: 'dir', path: d });
      }
    }
    return out;
  };
}

function file(path: string, size: number, salt: string, i: number): EntrySpec {
  // Alternate incompressible and text content; the salt makes an overwrite differ from the original.
  return { type: 'file', path, size, seed: `${path}${salt}`, fill: i % 2 ? 'text' : 'random' };
}

/** The layer specs. Entries are generated lazily: no list of 24k objects is built up front. */
export function largeImageSpec(opts: Required<LargeImageOptions>, compression: Compression): ImageSpec {
  const n = opts.files;
  const [n0, n1, n2] = [Math.floor(n * 0.45), Math.floor(n * 0.3), Math.floor(n * 0.2)];
  const n3 = n - n0 - n1 - n2;
  const [b0, b1, b2] = [0.3, 0.35, 0.25].map((f) => Math.floor(opts.totalBytes * f)) as [
    number,
    number,
    number,
  ];
  const b3 = opts.totalBytes - b0 - b1 - b2;
  const overwrites1 = Math.min(500, Math.floor(n0 / 20)); // L1 rewrites these L0 files
  const overwrites2 = Math.min(300, Math.floor(n1 / 20)); // L2 rewrites these L1 files
  const deleted0 = Math.min(200, Math.floor(n0 / 6)); // L2 deletes these L0 files one by one
  const deletedFrom = Math.floor(n0 / 3);
  // L2 deletes one of L1's last directories as a whole (one `.wh.mNNN`), untouched otherwise.
  const removedDepDir = Math.floor(n1 / 100) - 2;
  // L2 replaces the content of one of L0's directories (opaque marker).
  const opaqueDir = Math.min(20, Math.floor(n0 / 100) - 1);
  const layer = (createdBy: string, entries: () => AsyncIterable<EntrySpec>): LayerSpec => ({
    createdBy,
    compression,
    gzipLevel: GZIP_LEVEL,
    entries,
  });

  return {
    created: '2024-01-01T00:00:00Z',
    cmd: ['/app/bin/server'],
    layers: [
      layer('/bin/sh -c #(nop) ADD file:base in / ', async function* () {
        const dirs = dirTracker();
        const s = sizes(n0, b0, 1);
        for (let i = 0; i < n0; i++) {
          yield* dirs(baseFile(i));
          yield file(baseFile(i), s[i] ?? 0, '', i);
          if (i % 1000 === 999) yield { type: 'symlink', path: `${baseFile(i)}.link`, target: `f${i}` };
        }
      }),
      layer('/bin/sh -c install-deps.sh', async function* () {
        const dirs = dirTracker();
        const s = sizes(n1, b1, 2);
        for (let j = 0; j < n1; j++) {
          if (j < overwrites1) {
            // Spread over L0's directories, all before the new files.
            const path = baseFile(((j * 97) % Math.floor(n0 / 100)) * 100 + (j % 100));
            yield* dirs(path);
            yield file(path, s[j] ?? 0, '#deps', j);
          } else {
            yield* dirs(depFile(j));
            yield file(depFile(j), s[j] ?? 0, '', j);
          }
        }
        yield { type: 'hardlink', path: 'opt/deps/first-file', target: depFile(overwrites1) };
      }),
      layer('/bin/sh -c #(nop) COPY dir:app in /app ', async function* () {
        const dirs = dirTracker();
        const s = sizes(n2, b2, 3);
        let k = 0;
        for (; k < overwrites2; k++) {
          const path = depFile(overwrites1 + k * 7);
          yield* dirs(path);
          yield file(path, s[k] ?? 0, '#app', k);
        }
        for (let d = 0; d < deleted0; d++) {
          const path = baseFile(deletedFrom + d * 3);
          yield* dirs(path);
          yield { type: 'whiteout', path };
        }
        yield* dirs(`${depDir(removedDepDir)}/x`);
        yield { type: 'whiteout', path: depDir(removedDepDir) };
        yield* dirs(`${baseDir(opaqueDir)}/x`);
        yield { type: 'opaque', dir: baseDir(opaqueDir) };
        for (let i = 0; i < 50; i++, k++) {
          yield file(`${baseDir(opaqueDir)}/replaced-${i}`, s[k] ?? 0, '', k);
        }
        for (; k < n2; k++) {
          yield* dirs(appFile(k));
          yield file(appFile(k), s[k] ?? 0, '', k);
        }
      }),
      layer('/bin/sh -c ./build.sh && ./cleanup.sh', async function* () {
        const dirs = dirTracker();
        const s = sizes(n3, b3, 4);
        for (let q = 0; q < n3; q++) {
          const path = q < 100 ? appFile(Math.floor(n2 / 2) + q) : `var/cache/build/f${q}`;
          yield* dirs(path);
          yield file(path, s[q] ?? 0, '#build', q);
        }
        for (let k = 0; k < 20; k++) {
          yield* dirs(appFile(overwrites2 + 50 + k));
          yield { type: 'whiteout', path: appFile(overwrites2 + 50 + k) };
        }
      }),
    ],
  };
}

function summary(r: CacheRecord): Omit<LargeImage, 'reused' | 'dockerArchive' | 'ociLayout'> {
  const { layerBytes, gzipBytes, files, layers, diffIds, seconds } = r;
  return { layerBytes, gzipBytes, files, layers, diffIds, seconds };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Builds the benchmark image in `dir`, or reuses the one a previous run left there. */
export async function makeLargeImage(dir: string, options: LargeImageOptions = {}): Promise<LargeImage> {
  const opts = { totalBytes: options.totalBytes ?? 256 * 1024 * 1024, files: options.files ?? 24_000 };
  const key = { generator: GENERATOR_VERSION, ...opts, gzipLevel: GZIP_LEVEL };
  const dockerArchive = join(dir, 'large.tar');
  const ociLayout = join(dir, 'large-oci');
  const cacheFile = join(dir, 'large-image.json');

  const cached = await readFile(cacheFile, 'utf8').then(
    (t) => JSON.parse(t) as CacheRecord,
    () => undefined,
  );
  if (
    cached &&
    JSON.stringify(cached.key) === JSON.stringify(key) &&
    (await stat(dockerArchive).then(
      (s) => s.size === cached.dockerArchiveSize,
      () => false,
    )) &&
    (await exists(join(ociLayout, 'blobs', 'sha256', cached.ociManifestDigest.slice(7))))
  ) {
    return { ...summary(cached), dockerArchive, ociLayout, reused: true };
  }

  const started = Date.now();
  await mkdir(dir, { recursive: true });
  // The cache record goes last and the outputs are renamed into place, so an interrupted
  // run is never mistaken for a finished one.
  await rm(cacheFile, { force: true });
  await Promise.all([dockerArchive, ociLayout].flatMap((p) => [rm(p, { recursive: true, force: true })]));
  const [tmpTar, tmpOci] = [`${dockerArchive}.partial`, `${ociLayout}.partial`];
  await Promise.all([rm(tmpTar, { force: true }), rm(tmpOci, { recursive: true, force: true })]);
  // Both at once: one core generates and writes the tar while the other one gzips.
  const [docker, oci]: BuiltImage[] = await Promise.all([
    writeDockerArchive(largeImageSpec(opts, 'none'), tmpTar, { repoTags: ['imgscope-bench:large'] }),
    writeOciLayout(largeImageSpec(opts, 'gzip'), tmpOci, { tag: 'large' }),
  ]);
  if (!docker || !oci || docker.diffIds.join() !== oci.diffIds.join()) {
    throw new Error('docker-archive and OCI layout of the benchmark image differ');
  }
  await rename(tmpTar, dockerArchive);
  await rename(tmpOci, ociLayout);

  const record: CacheRecord = {
    key,
    dockerArchiveSize: (await stat(dockerArchive)).size,
    ociManifestDigest: oci.manifestDigest,
    layerBytes: docker.layerSizes.reduce((a, b) => a + b, 0),
    gzipBytes: oci.layerSizes.reduce((a, b) => a + b, 0),
    files: opts.files,
    layers: docker.diffIds.length,
    diffIds: docker.diffIds,
    seconds: (Date.now() - started) / 1000,
  };
  await writeFile(cacheFile, `${JSON.stringify(record, null, 2)}\n`);
  return { ...summary(record), dockerArchive, ociLayout, reused: false };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = resolve(process.argv[2] ?? '.bench');
  const img = await makeLargeImage(dir);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  console.log(
    `${img.reused ? 'reused' : `generated in ${img.seconds.toFixed(1)} s`}: ${img.layers} layers, ` +
      `${img.files} files, ${mb(img.layerBytes)} of layer tars, ${mb(img.gzipBytes)} gzipped`,
  );
  console.log(`  ${img.dockerArchive}\n  ${img.ociLayout}`);
}
