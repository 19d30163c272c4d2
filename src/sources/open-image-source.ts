import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { KnownFiles, LayerResultCache } from '../cache/index.js';
import { InputFormatError, InputNotFoundError, UsageError } from '../errors.js';
import { DOCKER_TRANSPORT, parseDaemonReference, parseImageReference } from '../reference/index.js';
import { type ArchiveFiles, DirectoryFiles } from './archive-files.js';
import { DockerDaemonSource } from './docker-daemon-source.js';
import { DockerArchiveSource } from './docker-archive.js';
import type { ImageSource } from './image-source.js';
import { OciLayoutSource } from './oci-layout.js';
import { RegistrySource, type RegistrySourceOptions } from './registry-source.js';
import { TarFiles } from './tar-index.js';

/** How to reach registries and daemons; local paths need none of it. */
export interface OpenSourceOptions {
  registry?: Partial<RegistrySourceOptions>;
  /** Environment for DOCKER_HOST, proxies and credentials (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Layer results kept between runs, for every source; null or absent: none (--no-cache). */
  layerResults?: LayerResultCache | null;
}

type LocalTransport = 'docker-archive' | 'oci' | 'oci-archive';
const LOCAL_TRANSPORTS: LocalTransport[] = ['docker-archive', 'oci', 'oci-archive'];

/**
 * Turns what the user typed into a source: `docker-archive:PATH`, `oci:DIR[:TAG]`,
 * `oci-archive:PATH[:TAG]`, `docker-daemon:NAME`, `docker://REF`, a bare path recognised by its
 * content, or else a registry reference (`nginx:1.17`, `host:5000/app@sha256:...`).
 */
export async function openImageSource(
  argument: string,
  options: OpenSourceOptions = {},
): Promise<ImageSource> {
  const source = await chooseSource(argument, options);
  const layerResults = options.layerResults ?? null;
  if (layerResults === null) return source;
  // The resolved image says where its layers' results may be, so every analysis path finds them;
  // the source stays what it is (callers tell registries apart by their class).
  const resolve = source.resolve.bind(source);
  source.resolve = async (resolveOptions) => ({ ...(await resolve(resolveOptions)), layerResults });
  return source;
}

/**
 * The size of the local archive file that `argument` names (as a transport's path or a bare
 * path), without reading it; null for anything else (a directory, a registry reference, a
 * daemon's image, nothing there). A caller's hint (is a large layer likely?), not a check.
 */
export function localArchiveBytes(argument: string): number | null {
  const transport = LOCAL_TRANSPORTS.find((name) => argument.startsWith(`${name}:`));
  const path = transport === undefined ? argument : argument.slice(transport.length + 1);
  try {
    const info = statSync(path);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

async function chooseSource(argument: string, options: OpenSourceOptions): Promise<ImageSource> {
  const known = options.layerResults?.knownFiles ?? null;
  for (const transport of LOCAL_TRANSPORTS) {
    if (argument.startsWith(`${transport}:`)) return openTransport(transport, argument, known);
  }
  const daemonName = parseDaemonReference(argument);
  if (daemonName !== null) return new DockerDaemonSource(daemonName, argument, options.env);
  if (argument.startsWith(DOCKER_TRANSPORT)) return openRegistry(argument, options);
  const kind = pathKind(argument);
  if (kind === 'directory') return detectDirectory(argument, known);
  if (kind === 'file') return detectFile(argument, known);
  if (looksLikePath(argument)) throw new InputNotFoundError(`${argument}: no such file or directory`);
  return openRegistry(argument, options);
}

function openRegistry(argument: string, options: OpenSourceOptions): ImageSource {
  const reference = parseImageReference(argument);
  return new RegistrySource(reference, {
    cache: null,
    ...options.registry,
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
}

async function openTransport(
  transport: LocalTransport,
  argument: string,
  known: KnownFiles | null,
): Promise<ImageSource> {
  const rest = argument.slice(transport.length + 1);
  if (rest === '') throw new UsageError(`${argument}: the ${transport}: transport needs a path`);
  if (transport === 'docker-archive') {
    return new DockerArchiveSource(await archiveFiles(rest, known), argument, known);
  }
  const { path, tag } = splitTag(rest);
  const kind = transport === 'oci' ? 'oci-layout' : 'oci-archive';
  return new OciLayoutSource(await archiveFiles(path, known), argument, kind, tag);
}

/** "DIR:TAG" where DIR itself may contain colons: the longest existing prefix is the path. */
function splitTag(rest: string): { path: string; tag: string | null } {
  if (pathKind(rest) !== null) return { path: rest, tag: null };
  const colon = rest.lastIndexOf(':');
  if (colon > 0) return { path: rest.slice(0, colon), tag: rest.slice(colon + 1) };
  return { path: rest, tag: null };
}

async function archiveFiles(path: string, known: KnownFiles | null): Promise<ArchiveFiles> {
  const kind = pathKind(path);
  if (kind === null) throw new InputNotFoundError(`${path}: no such file or directory`);
  if (kind === 'directory') return new DirectoryFiles(path);
  refuseCompressedArchive(path);
  return TarFiles.index(path, known);
}

async function detectDirectory(path: string, known: KnownFiles | null): Promise<ImageSource> {
  const files = new DirectoryFiles(path);
  if (await files.has('manifest.json')) return new DockerArchiveSource(files, path, known);
  if (await files.has('oci-layout')) return new OciLayoutSource(files, path, 'oci-layout', null);
  throw new InputFormatError(`${path}: not an image directory: it has neither manifest.json nor oci-layout`);
}

async function detectFile(path: string, known: KnownFiles | null): Promise<ImageSource> {
  refuseCompressedArchive(path);
  const files = await TarFiles.index(path, known);
  // Docker >= 25 writes both manifest.json and an OCI layout; manifest.json is the image's index there.
  if (await files.has('manifest.json')) return new DockerArchiveSource(files, path, known);
  if (await files.has('oci-layout')) return new OciLayoutSource(files, path, 'oci-archive', null);
  throw new InputFormatError(
    `${path}: not a container image archive: it has neither manifest.json (docker save) nor oci-layout (OCI)`,
  );
}

/** `docker save | gzip` gives a .tar.gz, which cannot be read at random: say how to fix it. */
function refuseCompressedArchive(path: string): void {
  // Four bytes, read synchronously (as pathKind stats): through libuv's thread pool, each call
  // is a round trip a small image's start waits for.
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const bytesRead = readSync(fd, head, 0, 4, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      throw new InputFormatError(`${path}: the archive is gzip-compressed`, {
        hint: `decompress it first: gunzip -k ${path}`,
      });
    }
    if (bytesRead === 4 && head.readUInt32LE(0) === 0xfd2fb528) {
      throw new InputFormatError(`${path}: the archive is zstd-compressed`, {
        hint: `decompress it first: zstd -d ${path}`,
      });
    }
  } finally {
    closeSync(fd);
  }
}

function pathKind(path: string): 'file' | 'directory' | null {
  try {
    const info = statSync(path);
    if (info.isDirectory()) return 'directory';
    return 'file';
  } catch {
    return null;
  }
}

/** A registry reference never starts with "." or "/" nor ends in an archive suffix. */
function looksLikePath(argument: string): boolean {
  return /^[./~]/.test(argument) || /\.(tar|tgz|tar\.gz|oci)$/.test(argument) || argument.includes('\\');
}
