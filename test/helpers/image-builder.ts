// Builds container images without a Docker daemon, in the exact on-disk shapes real tools
// write: `docker save` (legacy and Docker >= 25), skopeo's docker-archive, OCI layouts and
// archives, and buildx-style multi-platform indexes. Layers are streamed to disk (see
// layer-writer.ts); only JSON documents are built in memory. Same spec, same digests.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { walkMembers, writeArchive, type ArchiveMember } from './archive-writer.js';
import {
  OCI_LAYER_MEDIA_TYPES,
  writeLayerBlob,
  type Compression,
  type LayerBlob,
  type LayerSpec,
} from './layer-writer.js';

export type { EntrySpec, LayerSpec, Compression } from './layer-writer.js';
export { FIXED_MTIME, withParentDirs } from './layer-writer.js';
export { writeTar, writeArchive, type ArchiveMember } from './archive-writer.js';
export { tempDir, cleanupTempDirs } from './temp.js';
export { fillBytes, fillChunks, type FillKind } from './fill.js';

export interface ImageSpec {
  layers: LayerSpec[];
  /** History entries with `empty_layer: true` inserted after layer N (-1 = before all). */
  emptyHistory?: { after: number; createdBy: string; comment?: string }[];
  user?: string;
  /** Default: Docker's usual PATH only. */
  env?: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  /** e.g. `8080/tcp`. */
  exposedPorts?: string[];
  labels?: Record<string, string>;
  os?: string;
  architecture?: string;
  variant?: string;
  created?: string;
}

export interface BuiltImage {
  diffIds: string[];
  /** Digests of the layer blobs as stored (compressed when the layer is). */
  layerDigests: string[];
  /** Byte sizes of the layer blobs as stored. */
  layerSizes: number[];
  layerUncompressedSizes: number[];
  configDigest: string;
  /**
   * Digest of the OCI manifest for these blobs. Written as a blob in OCI layouts and in the
   * Docker >= 25 archive; legacy and skopeo archives carry no manifest, so there it is only
   * what a registry push of the same blobs would give.
   */
  manifestDigest: string;
  config: ImageConfigJson;
  manifest: OciManifestJson;
}

export type DockerArchiveLayout = 'legacy' | 'skopeo' | 'docker25';

const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  inToto: 'application/vnd.in-toto+json',
} as const;

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_CREATED = '2024-01-01T00:00:00Z';
const REF_NAME = 'org.opencontainers.image.ref.name';
/** Byte for byte what skopeo and Docker write. */
const OCI_LAYOUT_FILE = '{"imageLayoutVersion": "1.0.0"}';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
}

export interface OciManifestJson {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageConfigJson {
  created: string;
  architecture: string;
  os: string;
  variant?: string;
  config: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    Labels?: Record<string, string>;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history: { created: string; created_by: string; comment?: string; empty_layer?: true }[];
}

/** JSON as Go's encoding/json writes it: `<`, `>`, `&` escaped (real configs show `\u0026\u0026`). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hexOf(digest: string): string {
  return digest.replace(/^sha256:/, '');
}

function buildConfig(spec: ImageSpec, diffIds: string[]): ImageConfigJson {
  const created = spec.created ?? DEFAULT_CREATED;
  const history: ImageConfigJson['history'] = [];
  const empties = (after: number) => {
    for (const h of spec.emptyHistory ?? []) {
      if (h.after === after) {
        history.push({
          created,
          created_by: h.createdBy,
          ...(h.comment ? { comment: h.comment } : {}),
          empty_layer: true,
        });
      }
    }
  };
  empties(-1);
  spec.layers.forEach((layer, i) => {
    history.push({
      created,
      created_by: layer.createdBy ?? `/bin/sh -c #(nop) ADD file:${hexOf(diffIds[i] ?? '')} in / `,
      ...(layer.comment ? { comment: layer.comment } : {}),
    });
    empties(i);
  });
  // Key order of the OCI config spec (User, ExposedPorts, Env, Entrypoint, Cmd, ...).
  const c: ImageConfigJson['config'] = {
    ...(spec.user !== undefined ? { User: spec.user } : {}),
    ...(spec.exposedPorts ? { ExposedPorts: Object.fromEntries(spec.exposedPorts.map((p) => [p, {}])) } : {}),
    Env: spec.env ?? [DEFAULT_PATH],
  };
  if (spec.entrypoint) c.Entrypoint = spec.entrypoint;
  if (spec.cmd) c.Cmd = spec.cmd;
  if (spec.workingDir) c.WorkingDir = spec.workingDir;
  if (spec.labels) c.Labels = spec.labels;
  return {
    created,
    architecture: spec.architecture ?? 'amd64',
    os: spec.os ?? 'linux',
    ...(spec.variant ? { variant: spec.variant } : {}),
    config: c,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  };
}

interface StagedLayer extends LayerBlob {
  file: string;
}

/** Streams every layer into `workDir`, one file each. */
async function stageLayers(spec: ImageSpec, workDir: string): Promise<StagedLayer[]> {
  const out: StagedLayer[] = [];
  for (const [i, layer] of spec.layers.entries()) {
    const file = join(workDir, `layer-${i}.tmp`);
    out.push({ ...(await writeLayerBlob(layer, file)), file });
  }
  return out;
}

/** Config + manifest documents for staged layers. */
function describe(spec: ImageSpec, layers: LayerBlob[]) {
  const config = buildConfig(
    spec,
    layers.map((l) => l.diffId),
  );
  const configBytes = Buffer.from(goJson(config));
  const configDigest = `sha256:${sha256(configBytes)}`;
  const manifest: OciManifestJson = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: configDigest, size: configBytes.length },
    layers: layers.map((l) => ({
      mediaType: OCI_LAYER_MEDIA_TYPES[l.compression],
      digest: l.digest,
      size: l.size,
    })),
  };
  const manifestBytes = Buffer.from(goJson(manifest));
  const built: BuiltImage = {
    diffIds: layers.map((l) => l.diffId),
    layerDigests: layers.map((l) => l.digest),
    layerSizes: layers.map((l) => l.size),
    layerUncompressedSizes: layers.map((l) => l.uncompressedSize),
    configDigest,
    manifestDigest: `sha256:${sha256(manifestBytes)}`,
    config,
    manifest,
  };
  return { built, configBytes, manifestBytes };
}

// ---------------------------------------------------------------------------------------------
// OCI layout

async function writeBlob(layoutDir: string, data: Buffer): Promise<Descriptor & { hex: string }> {
  const hex = sha256(data);
  await writeFile(join(layoutDir, 'blobs', 'sha256', hex), data);
  return { mediaType: '', digest: `sha256:${hex}`, size: data.length, hex };
}

/** Writes the blobs (layers, config, manifest) of one image into an OCI layout directory. */
async function addImageToLayout(spec: ImageSpec, dir: string): Promise<BuiltImage> {
  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  const work = await mkdtemp(join(dir, '.ingest-'));
  try {
    const layers = await stageLayers(spec, work);
    for (const l of layers) await rename(l.file, join(blobDir, hexOf(l.digest)));
    const { built, configBytes, manifestBytes } = describe(spec, layers);
    await writeBlob(dir, configBytes);
    await writeBlob(dir, manifestBytes);
    return built;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeIndexJson(dir: string, manifests: Descriptor[]): Promise<void> {
  await writeFile(join(dir, 'oci-layout'), OCI_LAYOUT_FILE);
  await writeFile(join(dir, 'index.json'), goJson({ schemaVersion: 2, mediaType: MT.ociIndex, manifests }));
}

function tagAnnotation(tag: string | undefined): { annotations?: Record<string, string> } {
  return tag ? { annotations: { [REF_NAME]: tag } } : {};
}

/** An OCI image layout directory (as `skopeo copy ... oci:DIR[:TAG]` writes it). */
export async function writeOciLayout(
  spec: ImageSpec,
  dir: string,
  opts: { tag?: string } = {},
): Promise<BuiltImage> {
  const built = await addImageToLayout(spec, dir);
  const size = Buffer.byteLength(goJson(built.manifest));
  await writeIndexJson(dir, [
    { mediaType: MT.ociManifest, digest: built.manifestDigest, size, ...tagAnnotation(opts.tag) },
  ]);
  return built;
}

/** An OCI layout tarred like skopeo's `oci-archive:` (directories first, names sorted). */
export async function writeOciArchive(
  spec: ImageSpec,
  file: string,
  opts: { tag?: string } = {},
): Promise<BuiltImage> {
  const staging = await mkdtemp(join(dirname(file), '.oci-archive-'));
  try {
    const built = await writeOciLayout(spec, staging, opts);
    await writeArchive(file, walkMembers(staging));
    return built;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A buildx provenance attestation manifest for one image manifest. */
async function addAttestation(dir: string, imageManifest: Descriptor): Promise<Descriptor> {
  const statement = Buffer.from(
    goJson({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: '_', digest: { sha256: hexOf(imageManifest.digest) } }],
      predicate: { buildType: 'https://mobyproject.org/buildkit@v1', metadata: {} },
    }),
  );
  const layer = await writeBlob(dir, statement);
  const config = await writeBlob(
    dir,
    Buffer.from(
      goJson({
        architecture: 'unknown',
        os: 'unknown',
        config: {},
        rootfs: { type: 'layers', diff_ids: [layer.digest] },
      }),
    ),
  );
  const manifest = await writeBlob(
    dir,
    Buffer.from(
      goJson({
        schemaVersion: 2,
        mediaType: MT.ociManifest,
        config: { mediaType: MT.ociConfig, digest: config.digest, size: config.size },
        layers: [
          {
            mediaType: MT.inToto,
            digest: layer.digest,
            size: layer.size,
            annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
          },
        ],
      }),
    ),
  );
  return {
    mediaType: MT.ociManifest,
    digest: manifest.digest,
    size: manifest.size,
    annotations: {
      'vnd.docker.reference.digest': imageManifest.digest,
      'vnd.docker.reference.type': 'attestation-manifest',
    },
    platform: { architecture: 'unknown', os: 'unknown' },
  };
}

/**
 * An OCI layout whose index.json points (by tag) to a nested image index with one manifest
 * per platform, as `docker buildx build --platform ... --output type=oci` writes it; with
 * `attestation`, one `unknown/unknown` provenance manifest per image follows the images.
 */
export async function writeOciMultiPlatform(
  images: ImageSpec[],
  dir: string,
  opts: { tag?: string; attestation?: boolean } = {},
): Promise<{ indexDigest: string; images: BuiltImage[] }> {
  const built: BuiltImage[] = [];
  const entries: Descriptor[] = [];
  for (const spec of images) {
    const b = await addImageToLayout(spec, dir);
    built.push(b);
    entries.push({
      mediaType: MT.ociManifest,
      digest: b.manifestDigest,
      size: Buffer.byteLength(goJson(b.manifest)),
      platform: {
        architecture: b.config.architecture,
        os: b.config.os,
        ...(b.config.variant ? { variant: b.config.variant } : {}),
      },
    });
  }
  if (opts.attestation) {
    for (const e of [...entries]) entries.push(await addAttestation(dir, e));
  }
  const index = await writeBlob(
    dir,
    Buffer.from(goJson({ schemaVersion: 2, mediaType: MT.ociIndex, manifests: entries })),
  );
  await writeIndexJson(dir, [
    { mediaType: MT.ociIndex, digest: index.digest, size: index.size, ...tagAnnotation(opts.tag) },
  ]);
  return { indexDigest: index.digest, images: built };
}

// ---------------------------------------------------------------------------------------------
// docker-archive

/** docker/docker/layer.CreateChainID. */
function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev ? `sha256:${sha256(`${prev} ${d}`)}` : d);
  }
  return out;
}

/** The `container_config` Docker writes into legacy v1 JSON (all zero values). */
const EMPTY_CONTAINER_CONFIG = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

/**
 * Legacy per-layer v1 JSON and IDs as `docker save` writes them: every layer but the top
 * one gets a zero-valued body; the top one carries the image's runtime config. IDs hash the
 * body plus the chain ID and parent, so they are unique per position.
 */
function legacyV1(config: ImageConfigJson): { id: string; json: string }[] {
  const chains = chainIds(config.rootfs.diff_ids);
  const out: { id: string; json: string }[] = [];
  let parent = '';
  chains.forEach((chainId, i) => {
    const top = i === chains.length - 1;
    const body = {
      ...(parent ? { parent } : {}),
      created: top ? config.created : '1970-01-01T00:00:00Z',
      container_config: EMPTY_CONTAINER_CONFIG,
      ...(top ? { config: config.config, architecture: config.architecture } : {}),
      os: config.os,
    };
    const id = sha256(goJson({ ...body, layer_id: chainId }));
    out.push({ id, json: goJson({ id, ...body }) });
    parent = id;
  });
  return out;
}

/**
 * skopeo's v1 metadata (containers/image docker/internal/tarfile): Go maps, so keys sorted;
 * the top layer copies seven attributes of the config, null when absent.
 */
function skopeoV1(config: ImageConfigJson, configBytes: Buffer): { id: string; json: string }[] {
  const raw = JSON.parse(configBytes.toString()) as Record<string, unknown>;
  const chains = chainIds(config.rootfs.diff_ids);
  const out: { id: string; json: string }[] = [];
  let parent = '';
  const sorted = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  chains.forEach((chainId, i) => {
    const body: Record<string, unknown> = {};
    if (parent) body.parent = parent;
    if (i === chains.length - 1) {
      const keys = ['architecture', 'config', 'container', 'container_config', 'created'];
      for (const k of [...keys, 'docker_version', 'os']) body[k] = raw[k] ?? null;
    }
    const id = sha256(goJson(sorted({ ...body, layer_id: chainId })));
    out.push({ id, json: goJson(sorted({ ...body, id })) });
    parent = id;
  });
  return out;
}

function compressedSuffix(c: Compression): string {
  return c === 'gzip' ? '.tar.gz' : c === 'zstd' ? '.tar.zst' : '.tar';
}

/** `name[:tag]` -> [name, tag]; the colon of a registry port is not a tag separator. */
function splitTag(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

/** Docker's normalisation: `app:1` -> `docker.io/library/app:1`. */
function fullRef(ref: string): string {
  const [name, tag] = splitTag(ref);
  const first = name.split('/')[0] ?? '';
  const hasHost = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const full = hasHost ? name : name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return `${full}:${tag}`;
}

/** The legacy `repositories` file: name -> tag -> top layer ID. */
function repositories(repoTags: string[], topId: string): Record<string, Record<string, string>> {
  const repos: Record<string, Record<string, string>> = {};
  for (const rt of repoTags) {
    const [name, tag] = splitTag(rt);
    (repos[name] ??= {})[tag] = topId;
  }
  return repos;
}

/**
 * A docker-archive tarball.
 * - `legacy` (default): `docker save` before Docker 25: `<id>/layer.tar`, `<id>/json`,
 *   `<id>/VERSION`, `<configHex>.json`, `manifest.json`, `repositories`, in sorted order
 *   (manifest.json comes late: readers must not expect it first).
 * - `skopeo`: skopeo/podman: `<diffIdHex>.tar` layers written first, `<configHex>.json`,
 *   legacy `<id>/layer.tar` symlinks, then `manifest.json` and `repositories`.
 * - `docker25`: Docker >= 25: an OCI layout (`blobs/sha256/...`, `index.json`, `oci-layout`)
 *   plus `manifest.json` whose Config and Layers are `blobs/sha256/<hex>` paths.
 * A gzip/zstd layer is stored compressed, as `<digestHex>.tar.gz`/`.tar.zst` (how crane and
 * kaniko tarballs carry compressed layers), or as its blob in the docker25 layout.
 */
export async function writeDockerArchive(
  spec: ImageSpec,
  file: string,
  opts: { layout?: DockerArchiveLayout; repoTags?: string[] } = {},
): Promise<BuiltImage> {
  const layout = opts.layout ?? 'legacy';
  const repoTags = opts.repoTags ?? [];
  // Staged next to the output, not in /tmp: benchmark layers are hundreds of MB.
  const staging = await mkdtemp(join(dirname(file), '.docker-archive-'));
  try {
    const work = join(staging, 'work');
    const tree = join(staging, 'tree');
    await mkdir(work);
    await mkdir(tree);
    const layers = await stageLayers(spec, work);
    const { built, configBytes, manifestBytes } = describe(spec, layers);
    const configHex = hexOf(built.configDigest);

    if (layout === 'skopeo') {
      await writeArchive(file, skopeoMembers(layers, built, configBytes, repoTags));
      return built;
    }

    const layerPaths: string[] = [];
    if (layout === 'docker25') {
      const blobs = join(tree, 'blobs', 'sha256');
      await mkdir(blobs, { recursive: true });
      // Docker 25 also keeps each layer's v1 JSON as a blob.
      for (const v1 of legacyV1(built.config)) await writeFile(join(blobs, sha256(v1.json)), v1.json);
      for (const l of layers) {
        await rename(l.file, join(blobs, hexOf(l.digest)));
        layerPaths.push(`blobs/sha256/${hexOf(l.digest)}`);
      }
      await writeFile(join(blobs, configHex), configBytes);
      await writeFile(join(blobs, hexOf(built.manifestDigest)), manifestBytes);
      await writeFile(join(tree, 'oci-layout'), OCI_LAYOUT_FILE);
      await writeFile(
        join(tree, 'index.json'),
        goJson({
          schemaVersion: 2,
          mediaType: MT.ociIndex,
          manifests: repoTags.map((t) => ({
            mediaType: MT.ociManifest,
            digest: built.manifestDigest,
            size: manifestBytes.length,
            annotations: { 'io.containerd.image.name': fullRef(t), [REF_NAME]: splitTag(t)[1] },
          })),
        }),
      );
    } else {
      const v1 = legacyV1(built.config);
      const firstPathOf = new Map<string, string>();
      for (const [i, l] of layers.entries()) {
        const id = v1[i]?.id ?? '';
        await mkdir(join(tree, id));
        await writeFile(join(tree, id, 'VERSION'), '1.0');
        await writeFile(join(tree, id, 'json'), v1[i]?.json ?? '');
        const seen = firstPathOf.get(l.digest);
        if (l.compression !== 'none') {
          const name = `${hexOf(l.digest)}${compressedSuffix(l.compression)}`;
          if (!seen) await rename(l.file, join(tree, name));
          firstPathOf.set(l.digest, name);
          layerPaths.push(name);
        } else if (seen) {
          // docker save links a repeated layer to its first copy.
          await symlink(`../${seen}`, join(tree, id, 'layer.tar'));
          layerPaths.push(`${id}/layer.tar`);
        } else {
          await rename(l.file, join(tree, id, 'layer.tar'));
          firstPathOf.set(l.digest, `${id}/layer.tar`);
          layerPaths.push(`${id}/layer.tar`);
        }
      }
      await writeFile(join(tree, `${configHex}.json`), configBytes);
      if (repoTags.length) {
        await writeFile(
          join(tree, 'repositories'),
          `${goJson(repositories(repoTags, v1.at(-1)?.id ?? ''))}\n`,
        );
      }
    }
    const config = layout === 'docker25' ? `blobs/sha256/${configHex}` : `${configHex}.json`;
    // json.Encoder: trailing newline; RepoTags is null when there are none.
    await writeFile(
      join(tree, 'manifest.json'),
      `${goJson([{ Config: config, RepoTags: repoTags.length ? repoTags : null, Layers: layerPaths }])}\n`,
    );
    if (layout === 'docker25' && repoTags.length) {
      const top = legacyV1(built.config).at(-1)?.id ?? '';
      await writeFile(join(tree, 'repositories'), `${goJson(repositories(repoTags, top))}\n`);
    }
    await writeArchive(file, walkMembers(tree));
    return built;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** skopeo's stream order: blobs as they are copied, then legacy metadata, then the indexes. */
function* skopeoMembers(
  layers: StagedLayer[],
  built: BuiltImage,
  configBytes: Buffer,
  repoTags: string[],
): Generator<ArchiveMember> {
  const sent = new Set<string>();
  const paths = layers.map((l) => `${hexOf(l.digest)}${compressedSuffix(l.compression)}`);
  for (const [i, l] of layers.entries()) {
    const p = paths[i] ?? '';
    if (sent.has(p)) continue;
    sent.add(p);
    yield { name: p, fromFile: l.file, mode: 0o444 };
  }
  yield { name: `${hexOf(built.configDigest)}.json`, content: configBytes, mode: 0o444 };
  const v1 = skopeoV1(built.config, configBytes);
  for (const [i, m] of v1.entries()) {
    yield { name: `${m.id}/layer.tar`, type: 'symlink', target: `../${paths[i] ?? ''}` };
    yield { name: `${m.id}/VERSION`, content: '1.0', mode: 0o444 };
    yield { name: `${m.id}/json`, content: m.json, mode: 0o444 };
  }
  // skopeo records fully qualified names (docker.io/library/...).
  const tags = repoTags.map(fullRef);
  const manifest = [{ Config: `${hexOf(built.configDigest)}.json`, RepoTags: tags, Layers: paths }];
  yield { name: 'manifest.json', content: goJson(manifest), mode: 0o444 };
  yield { name: 'repositories', content: goJson(repositories(tags, v1.at(-1)?.id ?? '')), mode: 0o444 };
}
