import { readFileSync } from 'node:fs';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Readable } from 'node:stream';
import { AuthError, DigestMismatchError, InputFormatError, RegistryError, UsageError } from '../errors.js';
import { type Descriptor, MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES, MEDIA_TYPES } from '../model/index.js';
import { isLoopbackHost, registryApiHost } from '../reference/index.js';
import { Authenticator } from './authenticator.js';
import type { BlobCacheSettings } from './blob-cache.js';
import { createBlobDownload } from './blob-download.js';
import { type Credentials, type FoundCredentials, lookupCredentials } from './credentials.js';
import { digestOf } from './digest.js';
import { HttpExchange } from './http-exchange.js';
import {
  HttpTransport,
  type HttpResponse,
  type RequestSpec,
  type TransportOptions,
  isTlsVerificationFailure,
  transportFailureOf,
} from './http-transport.js';
import { nextPageLink } from './link-header.js';
import type { RemoteBlob } from './remote-blob.js';
import { describeErrorBody, discardBody, readSmallBody } from './response-body.js';
import { DEFAULT_RETRY_POLICY, isRetryableErrno, isRetryableStatus, type RetryPolicy } from './retry.js';

/** The manifest types imgscope reads, best first; without them registries answer 404 or schema 1. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

/**
 * Bounds of a paginated listing (tags or catalog): a registry that links page after page, or
 * back to a page it gave, is stopped here with an error instead of being followed forever.
 */
export const LISTING_LIMITS = { pages: 1000, names: 1_000_000, pageBytes: 32 * 1024 * 1024 } as const;

export interface RegistryClientOptions {
  /** Explicit credentials (--username / --password-stdin); otherwise the Docker/Podman config is read. */
  credentials?: Credentials;
  /** Allow plain HTTP and unverified TLS for this registry. */
  insecure?: boolean;
  /** PEM files of extra CAs to trust (--ca-cert). */
  caCertFiles?: string[];
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Blob downloads at once. */
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
  userAgent?: string;
  /** The clock that token lifetimes are counted on (default Date.now; tests pass a fake one). */
  now?: () => number;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export interface OpenBlobOptions {
  onBytes?: (bytes: number) => void;
}

/**
 * A client of one registry (OCI distribution API): manifests, blobs, auth from the challenge,
 * retries with backoff, redirects without credentials to other hosts, bounded blob concurrency.
 */
export class RegistryClient {
  readonly registry: string;
  readonly apiHost: string;
  private readonly http: HttpExchange;
  private readonly retry: RetryPolicy;
  private readonly limit: LimitFunction;
  private readonly auth: Authenticator;
  private readonly insecure: boolean;
  private readonly timeoutMs: number;
  private readonly transportOptions: TransportOptions;
  private base: Promise<URL> | null = null;

  constructor(registry: string, options: RegistryClientOptions = {}, repositoryHint?: string) {
    this.registry = registry;
    this.apiHost = registryApiHost(registry);
    this.insecure = options.insecure ?? false;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.limit = pLimit(Math.max(1, options.concurrency ?? 4));
    const env = options.env ?? process.env;
    const caCerts = (options.caCertFiles ?? []).map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read CA certificate ${file}: ${(error as Error).message}`);
      }
    });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.transportOptions = {
      caCerts,
      skipTlsVerify: this.insecure,
      timeoutMs: this.timeoutMs,
      env,
      userAgent: options.userAgent ?? 'imgscope',
    };
    this.http = new HttpExchange(new HttpTransport(this.transportOptions), this.retry);
    const explicit = options.credentials;
    const find = (): Promise<FoundCredentials | null> =>
      explicit !== undefined
        ? Promise.resolve({ credentials: explicit, origin: '--username/--password-stdin' })
        : lookupCredentials(registry, repositoryHint, { env, timeoutMs: this.timeoutMs });
    this.auth = new Authenticator(this.apiHost, (spec) => this.http.send(spec), find, options.now);
  }

  close(): void {
    this.http.close();
  }

  /** Resolves https:// or (insecure or loopback registries only) http:// by asking GET /v2/. */
  private baseUrl(): Promise<URL> {
    this.base ??= this.ping();
    return this.base;
  }

  /**
   * HTTPS, and plain HTTP where TLS itself fails (not its verification) on a registry that may
   * use it. A loopback registry is asked over plain HTTP once first (see plainFirst): the
   * outcome is the same, the order only saves loading TLS where the answer is plain.
   */
  private async ping(): Promise<URL> {
    const httpsBase = new URL(`https://${this.apiHost}`);
    const httpBase = new URL(`http://${this.apiHost}`);
    const loopback = isLoopbackHost(this.apiHost);
    const mayUseHttp = this.insecure || loopback;
    const plain = loopback ? await this.plainFirst(httpBase) : 'retry';
    if (plain === 'registry') return httpBase;
    try {
      // A plain-HTTP server answering a TLS hello is not worth retrying.
      await this.pingAt(httpsBase, mayUseHttp ? 1 : undefined);
      return httpsBase;
    } catch (error) {
      if (!mayUseHttp || !isTlsProtocolProblem(error)) throw error;
      // A loopback server that spoke plain HTTP only to say no is taken at its word; one that
      // failed to answer is asked again, with retries, as if it had not been asked.
      if (plain !== 'retry') throw plain.refused;
    }
    await this.pingAt(httpBase);
    return httpBase;
  }

  /**
   * One plain-HTTP ping of a loopback registry, before any TLS: most local registries (a CI
   * service, `docker run registry`) speak plain HTTP, and a TLS attempt first loads node:tls and
   * its root certificates (25-45 ms on Node 20) only to be answered with a 400. A registry that
   * speaks TLS answers this with a 400 or drops it, and is then asked over HTTPS as before; the
   * ping carries no credentials. 'retry': it failed as another try (which this one did not
   * make) might not.
   */
  private async plainFirst(httpBase: URL): Promise<'registry' | 'retry' | { refused: unknown }> {
    let res: HttpResponse;
    try {
      res = await this.http.send(pingRequest(httpBase), 1);
    } catch (error) {
      const failure = transportFailureOf(error);
      return failure !== null && isRetryableErrno(failure.errno) ? 'retry' : { refused: error };
    }
    if (isRetryableStatus(res.status)) {
      discardBody(res.body);
      return 'retry';
    }
    try {
      await this.pingAnswer(httpBase, res);
      return 'registry';
    } catch (error) {
      return { refused: error };
    }
  }

  private async pingAt(base: URL, attempts?: number): Promise<void> {
    await this.pingAnswer(base, await this.http.send(pingRequest(base), attempts));
  }

  /** What GET /v2/ at `base` answered: a registry (its challenge kept), or an error. */
  private async pingAnswer(base: URL, res: HttpResponse): Promise<void> {
    if (res.status === 401) {
      const header = res.headers['www-authenticate'];
      discardBody(res.body);
      if (!this.auth.setChallenge(Array.isArray(header) ? header.join(', ') : header, base)) {
        throw new AuthError(`${this.apiHost} asks for an authentication scheme imgscope does not speak`, {
          hint: `the challenge was: ${String(header ?? '(none)')}`,
        });
      }
      return;
    }
    if (res.status === 200) {
      discardBody(res.body);
      return;
    }
    const said = await describeErrorBody(res.body);
    throw new RegistryError(
      `${this.apiHost} does not answer as a container registry (GET /v2/ gave HTTP ${res.status}${said ? `: ${said}` : ''})`,
    );
  }

  /**
   * An authenticated request to the registry: adds the Authorization the challenge asks for,
   * answers a 401 by (re)authenticating once, and turns 401/403 into AuthErrors.
   */
  private async request(
    method: 'GET' | 'HEAD',
    path: string,
    repository: string,
    headers: Record<string, string>,
    scope = `repository:${repository}:pull`,
  ): Promise<HttpResponse> {
    const base = await this.baseUrl();
    const url = new URL(path, base);
    const send = async (): Promise<HttpResponse> => {
      const authorization = await this.auth.authorization(scope);
      return this.http.send({
        method,
        url,
        headers: authorization === undefined ? headers : { ...headers, Authorization: authorization },
      });
    };
    let res = await send();
    if (res.status === 401) {
      const header = res.headers['www-authenticate'];
      let said = await describeErrorBody(res.body);
      this.auth.forget(scope);
      if (this.auth.setChallenge(Array.isArray(header) ? header.join(', ') : header, base)) {
        res = await send();
        if (res.status === 401) said = await describeErrorBody(res.body);
      }
      if (res.status === 401) {
        if (!(await this.auth.hasCredentials())) {
          throw new AuthError(`authentication required for ${this.apiHost}: ${said || 'HTTP 401'}`, {
            hint: 'log in (docker login / podman login) or pass --username and --password-stdin',
          });
        }
        throw new AuthError(`authentication failed for ${this.apiHost}: ${said || 'HTTP 401'}`, {
          hint: 'check the user name and password, or log in again',
        });
      }
    }
    if (res.status === 403) {
      const said = await describeErrorBody(res.body);
      throw new AuthError(`access to ${repository} on ${this.apiHost} denied: ${said || 'HTTP 403'}`, {
        hint: 'check that the account may pull this repository',
      });
    }
    return res;
  }

  /** GET a manifest by tag or digest with the full Accept list; schema 1 is refused. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, repository, {
      Accept: MANIFEST_ACCEPT,
    });
    const where = `${this.registry}/${repository}:${reference}`.replace(/:sha256:/, '@sha256:');
    if (res.status === 404) {
      const said = await describeErrorBody(res.body);
      throw new RegistryError(`${where} not found${said ? ` (${said})` : ''}`, {
        hint: 'check the repository name and the tag or digest',
      });
    }
    if (res.status !== 200) {
      const said = await describeErrorBody(res.body);
      throw new RegistryError(
        `${this.apiHost} answered HTTP ${res.status} for the manifest of ${where}${said ? `: ${said}` : ''}`,
      );
    }
    let bytes: Buffer;
    try {
      bytes = await readSmallBody(res.body, MAX_MANIFEST_BYTES);
    } catch (error) {
      throw new RegistryError(`the manifest of ${where} could not be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const contentType =
      String(res.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim() ?? '';
    let mediaType = contentType;
    let schemaVersion: unknown;
    try {
      const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown; schemaVersion?: unknown };
      schemaVersion = parsed.schemaVersion;
      if (typeof parsed.mediaType === 'string' && parsed.mediaType !== '') mediaType = parsed.mediaType;
    } catch {
      throw new RegistryError(`the manifest of ${where} is not JSON`);
    }
    if (
      schemaVersion === 1 ||
      mediaType === MEDIA_TYPES.dockerManifestV1 ||
      mediaType === MEDIA_TYPES.dockerManifestV1Signed
    ) {
      throw new RegistryError(`${where} is a Docker schema 1 manifest, which imgscope does not read`, {
        hint: 'schema 1 is deprecated; re-push the image with a current docker, buildah or skopeo',
      });
    }
    const digestAlgorithm = reference.includes(':') ? reference : 'sha256:';
    const digest = digestOf(bytes, digestAlgorithm);
    if (reference.includes(':') && digest !== reference) {
      throw new DigestMismatchError(`manifest of ${where}`, reference, digest);
    }
    const announced = res.headers['docker-content-digest'];
    if (
      typeof announced === 'string' &&
      announced.startsWith('sha256:') &&
      digest.startsWith('sha256:') &&
      announced !== digest
    ) {
      throw new DigestMismatchError(`manifest of ${where} (Docker-Content-Digest)`, announced, digest);
    }
    return { mediaType, digest, bytes };
  }

  /** Every tag of a repository, following `Link` pages (bounded by LISTING_LIMITS). */
  listTags(repository: string): Promise<string[]> {
    return this.listAll(`/v2/${repository}/tags/list`, repository, `repository:${repository}:pull`, 'tags');
  }

  /** Every repository of the registry (`GET /v2/_catalog`), following `Link` pages. */
  listRepositories(): Promise<string[]> {
    return this.listAll('/v2/_catalog', 'the catalog', 'registry:catalog:*', 'repositories');
  }

  private async listAll(
    firstPath: string,
    what: string,
    scope: string,
    field: 'tags' | 'repositories',
  ): Promise<string[]> {
    const names: string[] = [];
    const seen = new Set<string>();
    const where = `${what} of ${this.apiHost}`;
    for (let path: string | null = firstPath; path !== null;) {
      if (seen.has(path)) {
        throw new RegistryError(`${where}: the registry links back to a page it already gave (${path})`, {
          hint: 'the registry paginates in a loop; its listing cannot be trusted',
        });
      }
      if (seen.size >= LISTING_LIMITS.pages) {
        throw new RegistryError(`${where}: more than ${LISTING_LIMITS.pages} pages; stopped`, {
          hint: 'the registry keeps paginating; list the images in a file instead (-f)',
        });
      }
      seen.add(path);
      const page = await this.listPage(path, what, scope, field);
      for (const name of page.names) names.push(name);
      if (names.length > LISTING_LIMITS.names) {
        throw new RegistryError(`${where}: more than ${LISTING_LIMITS.names} names; stopped`, {
          hint: 'list the images in a file instead (-f)',
        });
      }
      path = page.next;
    }
    return names;
  }

  private async listPage(
    path: string,
    what: string,
    scope: string,
    field: 'tags' | 'repositories',
  ): Promise<{ names: string[]; next: string | null }> {
    const res = await this.request('GET', path, what, { Accept: 'application/json' }, scope);
    const where = `${what} of ${this.apiHost}`;
    if (res.status !== 200) {
      const said = await describeErrorBody(res.body);
      throw new RegistryError(
        `${this.apiHost} answered HTTP ${res.status} for ${what}${said ? `: ${said}` : ''}`,
        res.status === 404 ? { hint: 'check the repository name' } : {},
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse((await readSmallBody(res.body, LISTING_LIMITS.pageBytes)).toString('utf8'));
    } catch (error) {
      throw new RegistryError(`${where} could not be read: ${(error as Error).message}`, { cause: error });
    }
    const list = (parsed as Record<string, unknown> | null)?.[field];
    // distribution answers `"tags": null` for a repository without tags.
    if (list !== null && (!Array.isArray(list) || list.some((name) => typeof name !== 'string'))) {
      throw new RegistryError(`${where}: the answer has no "${field}" list of names`);
    }
    const link = nextPageLink(res.headers['link']);
    return { names: (list ?? []) as string[], next: link === null ? null : this.samePath(link, where) };
  }

  /** A `Link` target as a path on this registry; another origin is refused (it would get our token). */
  private samePath(link: string, where: string): string {
    const origin = `https://${this.apiHost}`;
    const url = new URL(link, origin);
    if (url.host !== this.apiHost) {
      throw new RegistryError(`${where}: the next page is on another host (${url.host}); not followed`);
    }
    return `${url.pathname}${url.search}`;
  }

  private fetchBlobRange(
    repository: string,
    descriptor: Descriptor,
  ): (offset: number) => Promise<HttpResponse> {
    return async (offset) => {
      const headers: Record<string, string> = {};
      if (offset > 0) headers.Range = `bytes=${offset}-`;
      const res = await this.request(
        'GET',
        `/v2/${repository}/blobs/${descriptor.digest}`,
        repository,
        headers,
      );
      if (res.status === 200 || res.status === 206) return res;
      const said = await describeErrorBody(res.body);
      if (res.status === 404) {
        throw new RegistryError(
          `blob ${descriptor.digest} not found in ${this.registry}/${repository}${said ? ` (${said})` : ''}`,
          {
            hint: 'the image may have been deleted or pushed incompletely',
          },
        );
      }
      throw new RegistryError(
        `${this.apiHost} answered HTTP ${res.status} for blob ${descriptor.digest} of ${repository}${said ? `: ${said}` : ''}`,
        { hint: 'the registry keeps failing; try again later' },
      );
    };
  }

  /**
   * Streams a blob, resuming interrupted downloads with Range and checking size and digest.
   * Waits for a download slot (--concurrency); the slot is freed when the stream closes.
   */
  openBlob(repository: string, descriptor: Descriptor, options: OpenBlobOptions = {}): Promise<Readable> {
    return new Promise<Readable>((resolve, reject) => {
      void this.limit(
        () =>
          new Promise<void>((release) => {
            const download = createBlobDownload({
              descriptor,
              where: `${this.registry}/${repository}`,
              registry: this.registry,
              idleTimeoutMs: this.timeoutMs,
              fetch: this.fetchBlobRange(repository, descriptor),
              retry: this.retry,
              ...(options.onBytes !== undefined ? { onBytes: options.onBytes } : {}),
            });
            download.once('close', () => release());
            resolve(download);
          }),
      ).catch(reject);
    });
  }

  /**
   * What another thread needs to download a blob itself (`openRemoteBlob`): its URL, the
   * Authorization this client holds for the repository, and the transport's settings.
   */
  async remoteBlob(
    repository: string,
    descriptor: Descriptor,
    cache: BlobCacheSettings | null,
  ): Promise<RemoteBlob> {
    const url = new URL(`/v2/${repository}/blobs/${descriptor.digest}`, await this.baseUrl());
    const authorization = await this.auth.authorization(`repository:${repository}:pull`);
    return {
      descriptor,
      where: `${this.registry}/${repository}`,
      registry: this.registry,
      url: url.href,
      headers: authorization === undefined ? {} : { Authorization: authorization },
      // A plain copy of the environment (proxy settings): process.env itself is not cloneable data.
      transport: { ...this.transportOptions, env: { ...this.transportOptions.env } },
      retry: this.retry,
      cache,
    };
  }

  /** Reads a small blob (the config) whole, verified. */
  async getBlob(repository: string, descriptor: Descriptor): Promise<Buffer> {
    // The image's fault, not the registry's: refused as an archive's config over the cap is.
    if (descriptor.size > MAX_CONFIG_BYTES) {
      throw new InputFormatError(
        `config ${descriptor.digest} is ${descriptor.size} bytes, more than the ${MAX_CONFIG_BYTES} allowed for it`,
      );
    }
    const stream = await this.openBlob(repository, descriptor);
    return readSmallBody(stream, MAX_CONFIG_BYTES);
  }
}

function pingRequest(base: URL): RequestSpec {
  return { method: 'GET', url: new URL('/v2/', base), headers: {} };
}

/** A failure of TLS or the connection itself, not of the certificate's verification: plain HTTP may answer. */
function isTlsProtocolProblem(error: unknown): boolean {
  const failure = transportFailureOf(error);
  return failure !== null && !isTlsVerificationFailure(failure.errno);
}
