import { UsageError } from '../errors.js';

/** Docker Hub as it appears in references. */
export const DOCKER_HUB = 'docker.io';
/** The host that serves Docker Hub's distribution API. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** A registry image reference after Docker's normalisation. */
export interface ImageReference {
  /** Registry host with optional port, as written after normalisation: "docker.io", "localhost:5000", "[::1]:5000". */
  registry: string;
  /** Repository path in the registry: "library/nginx". */
  repository: string;
  /** Tag; "latest" when neither a tag nor a digest was given; null when only a digest was given. */
  tag: string | null;
  /** "sha256:..." when the reference pins a digest. */
  digest: string | null;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;
const HOSTNAME =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*$/;
const IPV6 = /^\[[0-9a-fA-F:.%a-zA-Z]+\]$/;
const PORT = /^[0-9]{1,5}$/;

/** The `docker://` transport prefix skopeo users write. */
export const DOCKER_TRANSPORT = 'docker://';

function invalid(input: string, why: string): UsageError {
  return new UsageError(`invalid image reference "${input}": ${why}`, {
    hint: 'write it as [HOST[:PORT]/]REPOSITORY[:TAG][@sha256:DIGEST], e.g. nginx:1.17 or ghcr.io/org/app@sha256:...',
  });
}

/** Whether the first path component names a registry host (Docker's rule). */
function looksLikeHost(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component.startsWith('[')
  );
}

function validateHost(input: string, host: string): void {
  let name = host;
  let port: string | null = null;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) throw invalid(input, `unterminated IPv6 address in "${host}"`);
    name = host.slice(0, end + 1);
    const rest = host.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw invalid(input, `unexpected "${rest}" after IPv6 address`);
      port = rest.slice(1);
    }
    if (!IPV6.test(name)) throw invalid(input, `"${name}" is not an IPv6 address`);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      name = host.slice(0, colon);
      port = host.slice(colon + 1);
    }
    if (!HOSTNAME.test(name)) throw invalid(input, `"${name}" is not a valid registry host name`);
  }
  if (port !== null && (!PORT.test(port) || Number(port) > 65535 || Number(port) === 0)) {
    throw invalid(input, `"${port}" is not a valid port`);
  }
}

/**
 * Parses a registry reference the way Docker does: `nginx` is `docker.io/library/nginx:latest`,
 * `user/app` is `docker.io/user/app`, a first component with a `.` or `:` (or `localhost`, or an
 * IPv6 address in brackets) is the registry host. A `docker://` prefix is accepted.
 */
export function parseImageReference(input: string): ImageReference {
  let rest = input.trim();
  if (rest.startsWith(DOCKER_TRANSPORT)) rest = rest.slice(DOCKER_TRANSPORT.length);
  if (rest === '') throw invalid(input, 'it is empty');

  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, `"${digest}" is not a digest`);
    if (digest.startsWith('sha256:') && !SHA256.test(digest)) {
      throw invalid(input, `"${digest}" is not a sha256 digest (64 lowercase hex characters)`);
    }
  }

  let registry = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0 && looksLikeHost(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    validateHost(input, registry);
  }

  let tag: string | null = null;
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(input, `"${tag}" is not a valid tag`);
  }

  if (path === '') throw invalid(input, 'the repository name is missing');
  if (path !== path.toLowerCase()) throw invalid(input, 'repository names must be lowercase');
  for (const component of path.split('/')) {
    if (!COMPONENT.test(component))
      throw invalid(input, `"${component}" is not a valid repository name component`);
  }

  if (registry === 'index.docker.io' || registry === DOCKER_HUB_API_HOST) registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (path.length > 255) throw invalid(input, 'the repository name is longer than 255 characters');
  if (tag === null && digest === null) tag = 'latest';

  return { registry, repository: path, tag, digest };
}

/** The fully qualified form: "docker.io/library/nginx:1.17", "host:5000/app@sha256:...". */
export function formatImageReference(ref: ImageReference): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== null) out += `:${ref.tag}`;
  if (ref.digest !== null) out += `@${ref.digest}`;
  return out;
}

/** What to ask the registry for: the digest when pinned, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The host:port that serves the registry API ("registry-1.docker.io" for Docker Hub). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
}

/** Splits "host:port", "[::1]:5000" or "host" into name (brackets removed) and port. */
export function splitHostPort(host: string): { hostname: string; port: number | null } {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    const hostname = host.slice(1, end);
    const rest = host.slice(end + 1);
    return { hostname, port: rest.startsWith(':') ? Number(rest.slice(1)) : null };
  }
  const colon = host.lastIndexOf(':');
  if (colon < 0) return { hostname: host, port: null };
  return { hostname: host.slice(0, colon), port: Number(host.slice(colon + 1)) };
}

/** Loopback registries (localhost, 127.0.0.0/8, ::1) may be reached over plain HTTP. */
export function isLoopbackHost(host: string): boolean {
  const { hostname } = splitHostPort(host);
  const name = hostname.toLowerCase();
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    name === '::1' ||
    name === '0:0:0:0:0:0:0:1'
  );
}
