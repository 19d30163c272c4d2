import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthError, ConfigError } from '../errors.js';
import { DOCKER_HUB } from '../reference/index.js';
import { redactCredentials } from './redact.js';

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
  /** How long a credential helper may take before it is stopped (the request timeout). */
  timeoutMs?: number;
}

const DEFAULT_HELPER_TIMEOUT_MS = 30_000;

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

/** Credential helper names are program name suffixes: no path, no "..", nothing a shell would read. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Refuses a helper name that would run something else than a `docker-credential-*` program on PATH. */
export function checkHelperName(helper: unknown, where: string): asserts helper is string {
  if (typeof helper !== 'string' || !HELPER_NAME.test(helper) || helper.includes('..')) {
    throw new ConfigError(
      `credential helper name ${JSON.stringify(helper)} in ${where} is not a plain name (no path separators or ".."); imgscope will not run it`,
      { hint: 'set the helper to the NAME of a docker-credential-NAME program on PATH, or remove it' },
    );
  }
}

/** The first line of what a failing helper said, with anything that looks like a secret masked. */
function helperSaid(stdout: string, stderr: string): string {
  const text = stderr.trim() !== '' ? stderr : stdout;
  const first = text.trim().split(/\r?\n/)[0] ?? '';
  return redactCredentials(first).slice(0, 200);
}

/** Runs `docker-credential-NAME get` with the server URL on stdin (docker-credential-helpers protocol). */
export async function runCredentialHelper(
  helper: string,
  serverUrl: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number = DEFAULT_HELPER_TIMEOUT_MS,
): Promise<Credentials | null> {
  const program = `docker-credential-${helper}`;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let timedOut = false;
      // A helper waiting on a locked keychain or a prompt nobody sees would hang the run.
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (error.code === 'ENOENT') {
          reject(
            new ConfigError(`credential helper ${program} is not installed (named in the Docker config)`, {
              hint: `install ${program} on PATH, or remove it from credHelpers/credsStore`,
            }),
          );
        } else reject(new ConfigError(`cannot run credential helper ${program}: ${error.message}`));
      });
      // Stopped: answer on "exit", as a grandchild it left behind may hold the pipes open.
      child.on('exit', () => {
        clearTimeout(timer);
        if (!timedOut) return;
        child.stdout.destroy();
        child.stderr.destroy();
        reject(
          new AuthError(
            `credential helper ${program} did not answer within ${timeoutMs} ms for ${serverUrl}`,
            {
              hint: 'unlock the credential store or check the helper; --timeout sets how long to wait',
            },
          ),
        );
      });
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(serverUrl);
    },
  );
  if (code !== 0) {
    if (/credentials not found/i.test(`${stdout} ${stderr}`)) return null;
    // Only the first line, masked: a helper's words are not ours to repeat.
    throw new AuthError(
      `credential helper ${program} failed for ${serverUrl}: ${helperSaid(stdout, stderr)}`,
    );
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS;
  const keys = candidateKeys(registry, repository);
  for (const file of credentialFiles(env)) {
    const config = await readConfig(file);
    if (config === null) continue;
    const helper = Object.entries(config.credHelpers ?? {}).find(
      ([key]) => normaliseAuthKey(key) === registry,
    );
    if (helper !== undefined) {
      checkHelperName(helper[1], `${file} (credHelpers)`);
      const creds = await runCredentialHelper(helper[1], helperServerUrl(registry), env, timeoutMs);
      if (creds !== null) return { credentials: creds, origin: `docker-credential-${helper[1]}` };
    }
    const entry = findEntry(config.auths ?? {}, keys);
    if (entry !== null) {
      const creds = decodeEntry(entry[1], `${file} (${entry[0]})`);
      if (creds !== null) return { credentials: creds, origin: file };
    }
    if (config.credsStore !== undefined && config.credsStore !== '') {
      checkHelperName(config.credsStore, `${file} (credsStore)`);
      const creds = await runCredentialHelper(config.credsStore, helperServerUrl(registry), env, timeoutMs);
      if (creds !== null) return { credentials: creds, origin: `docker-credential-${config.credsStore}` };
    }
  }
  return null;
}
