import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputNotFoundError, NetworkError, UsageError } from '../errors.js';
import { DockerArchiveSource } from './docker-archive.js';
import type { ImageSource, ResolveOptions, ResolvedImage } from './image-source.js';
import { TarFiles } from './tar-index.js';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where the Docker Engine API listens: DOCKER_HOST (unix:// or tcp://), else /var/run/docker.sock. */
export function dockerEndpoint(
  env: NodeJS.ProcessEnv,
): { socketPath: string } | { host: string; port: number } {
  const value = env.DOCKER_HOST?.trim();
  if (value === undefined || value === '') return { socketPath: DEFAULT_SOCKET };
  if (value.startsWith('unix://')) return { socketPath: value.slice('unix://'.length) };
  if (value.startsWith('tcp://') || value.startsWith('http://')) {
    if (env.DOCKER_TLS_VERIFY) {
      throw new UsageError(
        `DOCKER_HOST=${value} with DOCKER_TLS_VERIFY is not supported for docker-daemon:`,
        {
          hint: 'use the daemon unix socket, or docker save the image and analyze the tar',
        },
      );
    }
    const url = new URL(value.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new UsageError(`unsupported DOCKER_HOST "${value}"`, {
    hint: 'use unix:///path/to/docker.sock or tcp://HOST:PORT',
  });
}

/**
 * `docker-daemon:NAME`: the image as the Docker Engine API (Docker, or `podman system service`)
 * exports it (`GET /images/NAME/get`, a docker save archive), spooled to a temporary file and
 * read by the docker-archive source. The archive is needed at random (manifest.json may come
 * last), which is why it is spooled rather than streamed.
 */
export class DockerDaemonSource implements ImageSource {
  private dir: string | null = null;
  private archive: DockerArchiveSource | null = null;

  constructor(
    private readonly name: string,
    private readonly reference: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async resolve(options: ResolveOptions): Promise<ResolvedImage> {
    if (this.archive === null) {
      this.dir = await mkdtemp(join(tmpdir(), 'imgscope-daemon-'));
      const path = join(this.dir, 'image.tar');
      await this.export(path);
      this.archive = new DockerArchiveSource(await TarFiles.index(path), this.reference);
    }
    const resolved = await this.archive.resolve(options);
    return { ...resolved, reference: this.reference, source: 'docker-daemon' };
  }

  private async export(path: string): Promise<void> {
    const endpoint = dockerEndpoint(this.env);
    const where = 'socketPath' in endpoint ? endpoint.socketPath : `${endpoint.host}:${endpoint.port}`;
    // Loaded here, not at start-up: runs on files never need it (on Node 24 it costs 20-50 ms).
    const { request } = await import('node:http');
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = request({
        ...endpoint,
        method: 'GET',
        path: `/images/${encodeURI(this.name).replace(/[?#]/g, encodeURIComponent)}/get`,
        headers: { Host: 'docker' },
      });
      req.on('response', resolve);
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          new NetworkError(`cannot reach the Docker daemon at ${where}: ${error.code ?? error.message}`, {
            cause: error,
            hint: 'start Docker (or `podman system service`), or set DOCKER_HOST to its socket',
          }),
        );
      });
      req.end();
    });
    if (res.statusCode === 404) {
      res.resume();
      throw new InputNotFoundError(`image ${this.name} not found in the Docker daemon at ${where}`, {
        hint: 'check `docker images`; to read from a registry instead, drop the docker-daemon: prefix',
      });
    }
    if (res.statusCode !== 200) {
      let body = '';
      for await (const chunk of res) body += (chunk as Buffer).toString();
      let message = body.trim();
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? message;
      } catch {
        // plain text
      }
      throw new NetworkError(
        `the Docker daemon at ${where} answered HTTP ${res.statusCode ?? '?'} exporting ${this.name}: ${message.slice(0, 200)}`,
      );
    }
    try {
      await pipeline(res, createWriteStream(path));
    } catch (error) {
      throw new NetworkError(
        `exporting ${this.name} from the Docker daemon at ${where} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  async close(): Promise<void> {
    if (this.dir !== null) await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.archive = null;
  }
}
