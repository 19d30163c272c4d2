import * as Flags from '@oclif/core/flags';
import { integerFlag } from './integer-flag.js';
import { LayerResultCache } from '../cache/index.js';
import { UsageError } from '../errors.js';
import { parseBytes } from '../gate/index.js';
import { BlobCache, defaultCacheRoot } from '../registry/blob-cache.js';
import type { OpenSourceOptions } from '../sources/index.js';
import { TerminalDownloadProgress } from './download-progress.js';
import { oneLine } from './failure.js';
import { stderrIsTerminal } from './standard-streams.js';

/** Flags of every command that reads images from registries. */
export const registryFlags = {
  username: Flags.string({ description: 'registry user name (with --password-stdin)' }),
  'password-stdin': Flags.boolean({
    description: 'read the registry password or token from stdin',
    default: false,
  }),
  insecure: Flags.boolean({
    description: 'allow plain HTTP and unverified TLS for the registry (test registries only)',
    default: false,
  }),
  'ca-cert': Flags.string({
    description: 'PEM file of a CA to trust for the registry (repeatable)',
    multiple: true,
  }),
  cache: Flags.boolean({
    description:
      'keep downloaded blobs and layer results in $XDG_CACHE_HOME/imgscope (--no-cache: neither use nor store them)',
    default: true,
    allowNo: true,
  }),
  timeout: integerFlag({
    description: 'network timeout in seconds (also how long a credential helper may take)',
    default: 30,
    min: 1,
  }),
};

export interface RegistryFlagValues {
  username?: string | undefined;
  'password-stdin': boolean;
  insecure: boolean;
  'ca-cert'?: string[] | undefined;
  cache: boolean;
  timeout: number;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The caps of the cache's kinds from the environment: a size (500MB, 4GiB); a bad value is bad usage. */
export interface CacheCaps {
  /** IMGSCOPE_LAYER_CACHE_MAX; undefined: the default. */
  layerResults?: number;
  /** IMGSCOPE_BLOB_CACHE_MAX; undefined: the default. */
  blobs?: number;
}

export function cacheCaps(): CacheCaps {
  const caps: CacheCaps = {};
  const layerResults = sizeFromEnvironment('IMGSCOPE_LAYER_CACHE_MAX');
  if (layerResults !== undefined) caps.layerResults = layerResults;
  const blobs = sizeFromEnvironment('IMGSCOPE_BLOB_CACHE_MAX');
  if (blobs !== undefined) caps.blobs = blobs;
  return caps;
}

function sizeFromEnvironment(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = parseBytes(value);
  if (!parsed.ok) throw new UsageError(`${name}: ${parsed.reason}`);
  return parsed.value;
}

export interface RegistrySetup {
  options: OpenSourceOptions;
  /** Call before printing the report. */
  done: () => void;
}

/** Source options from the flags; progress only on a TTY and never in JSON mode. */
export async function registrySetup(
  flags: RegistryFlagValues,
  context: { json: boolean; concurrency: number },
): Promise<RegistrySetup> {
  let credentials: { username: string; password: string } | undefined;
  if (flags['password-stdin'] || flags.username !== undefined) {
    if (flags.username === undefined) throw new UsageError('--password-stdin needs --username');
    if (!flags['password-stdin']) {
      throw new UsageError('--username needs --password-stdin', {
        hint: 'pipe the password: echo "$TOKEN" | imgscope analyze --username USER --password-stdin IMAGE',
      });
    }
    const password = (await readStdin()).replace(/\r?\n$/, '');
    if (password === '') throw new UsageError('--password-stdin read an empty password');
    credentials = { username: flags.username, password };
  }
  const progress = !context.json && stderrIsTerminal() ? new TerminalDownloadProgress() : undefined;
  const onWarning = (line: string): void =>
    void process.stderr.write(`imgscope: warning: ${oneLine(line)}\n`);
  const caps = cacheCaps();
  return {
    options: {
      layerResults: flags.cache
        ? new LayerResultCache(defaultCacheRoot(), { maxBytes: caps.layerResults, onWarning })
        : null,
      registry: {
        cache: flags.cache ? new BlobCache(defaultCacheRoot(), { maxBytes: caps.blobs, onWarning }) : null,
        insecure: flags.insecure,
        caCertFiles: flags['ca-cert'] ?? [],
        timeoutMs: flags.timeout * 1000,
        concurrency: context.concurrency,
        ...(credentials !== undefined ? { credentials } : {}),
        ...(progress !== undefined ? { progress } : {}),
      },
    },
    done: () => progress?.clear(),
  };
}
