import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthError, ConfigError } from '../errors.js';
import { DOCKER_HUB } from '../reference/index.js';

/** A user name and secret for one registry; `identityToken` is an OAuth2 refresh token (`docker login` with SSO). */
export interface Credentials {
  username: string;
  password: string;
  identityToken?: string;
}

/** Where credentials came from, for messages (never the secret itself). */
export interface FoundCredentials {
  credentials: Credentials;
  origin: string;
}

/** Docker Hub is stored under this key by `docker login`. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export interface CredentialLookupOptions {
  /** Environment to read REGISTRY_AUTH_FILE, DOCKER_CONFIG, HOME and PATH from. */
  env?: NodeJS.ProcessEnv;
}

/** Strips a scheme and a trailing path so that "https://index.docker.io/v1/" and "docker.io" compare equal. */
export function normaliseAuthKey(key: string): string {
  let k = key.trim().replace(/^[a-z]+:\/\//i, '');
  k = k.replace(/\/+$/, '');
  if (k.endsWith('/v1') || k.endsWith('/v2')) k = k.slice(0, -3);
  if (k === 'index.docker.io' || k === 'registry-1.docker.io') k = DOCKER_HUB;
  return k.toLowerCase();
}

/** The keys to try, most specific first: "host/ns/repo", "host/ns", "host". */
function candidateKeys(registry: string, repository: string | undefined): string[] {
  const keys: string[] = [];
  if (repository !== undefined) {
    const parts = repository.split('/');
    for (let i = parts.length; i > 0; i--)
      keys.push(`${registry}/${parts.slice(0, i).join('/')}`.toLowerCase());
  }
  keys.push(registry.toLowerCase());
  return keys;
}

async function readConfig(path: string): Promise<DockerConfigFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`cannot read credentials file ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object') throw new Error('not a JSON object');
    return parsed as DockerConfigFile;
  } catch (error) {
    throw new ConfigError(`credentials file ${path} is not valid JSON: ${(error as Error).message}`, {
      hint: 'fix or remove the file, or log in again',
    });
  }
}

function decodeEntry(entry: AuthEntry, origin: string): Credentials | null {
  let username = entry.username ?? '';
  let password = entry.password ?? '';
  if (entry.auth !== undefined && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new ConfigError(`the "auth" value for ${origin} is not base64 of USER:PASSWORD`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (entry.identitytoken !== undefined && entry.identitytoken !== '') {
    return { username, password, identityToken: entry.identitytoken };
  }
  if (username === '' && password === '') return null;
  return { username, password };
}

function findEntry(auths: Record<string, AuthEntry>, keys: string[]): [string, AuthEntry] | null {
  const normalised = new Map<string, [string, AuthEntry]>();
  for (const [key, entry] of Object.entries(auths)) normalised.set(normaliseAuthKey(key), [key, entry]);
  for (const key of keys) {
    const hit = normalised.get(key);
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Runs `docker-credential-NAME get` with the server URL on stdin (docker-credential-helpers protocol). */
export async function runCredentialHelper(
  helper: string,
  serverUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<Credentials | null> {
  const program = `docker-credential-${helper}`;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          reject(
            new ConfigError(`credential helper ${program} is not installed (named in the Docker config)`, {
              hint: `install ${program} on PATH, or remove it from credHelpers/credsStore`,
            }),
          );
        } else reject(new ConfigError(`cannot run credential helper ${program}: ${error.message}`));
      });
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(serverUrl);
    },
  );
  if (code !== 0) {
    const said = `${stdout} ${stderr}`.trim();
    if (/credentials not found/i.test(said)) return null;
    // The helper's own words, cut short: they never contain the secret, which only a successful get prints.
    throw new AuthError(`credential helper ${program} failed for ${serverUrl}: ${said.slice(0, 200)}`);
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
  } catch {
    throw new AuthError(`credential helper ${program} printed something that is not JSON for ${serverUrl}`);
  }
  if (typeof parsed.Username !== 'string' || typeof parsed.Secret !== 'string') {
    throw new AuthError(`credential helper ${program} answered without Username/Secret for ${serverUrl}`);
  }
  if (parsed.Username === '<token>') return { username: '', password: '', identityToken: parsed.Secret };
  return { username: parsed.Username, password: parsed.Secret };
}

/** The server URL a credential helper knows a registry by. */
function helperServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : registry;
}

/** Config files in the order they are consulted. */
export function credentialFiles(env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  const home = env.HOME ?? homedir();
  if (env.DOCKER_CONFIG) files.push(join(env.DOCKER_CONFIG, 'config.json'));
  else files.push(join(home, '.docker', 'config.json'));
  return files;
}

/**
 * Finds stored credentials for a registry ("docker.io", "host:5000") the way docker and podman do:
 * REGISTRY_AUTH_FILE, then $DOCKER_CONFIG/config.json or ~/.docker/config.json; in a file,
 * credHelpers for the host, then an `auths` entry, then credsStore. Null means anonymous.
 */
export async function lookupCredentials(
  registry: string,
  repository: string | undefined,
  options: CredentialLookupOptions = {},
): Promise<FoundCredentials | null> {
  const env = options.env ?? process.env;
  const keys = candidateKeys(registry, repository);
  for (const file of credentialFiles(env)) {
    const config = await readConfig(file);
    if (config === null) continue;
    const helper = Object.entries(config.credHelpers ?? {}).find(
      ([key]) => normaliseAuthKey(key) === registry,
    );
    if (helper !== undefined) {
      const creds = await runCredentialHelper(helper[1], helperServerUrl(registry), env);
      if (creds !== null) return { credentials: creds, origin: `docker-credential-${helper[1]}` };
    }
    const entry = findEntry(config.auths ?? {}, keys);
    if (entry !== null) {
      const creds = decodeEntry(entry[1], `${file} (${entry[0]})`);
      if (creds !== null) return { credentials: creds, origin: file };
    }
    if (config.credsStore !== undefined && config.credsStore !== '') {
      const creds = await runCredentialHelper(config.credsStore, helperServerUrl(registry), env);
      if (creds !== null) return { credentials: creds, origin: `docker-credential-${config.credsStore}` };
    }
  }
  return null;
}
