import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import {
  checkTagRange,
  checkTagRegex,
  inShard,
  parseImageList,
  selectTags,
  shardOfRepository,
  type Shard,
  type TagSelection,
} from '../audit/index.js';
import { ImgscopeError, InputNotFoundError, UsageError } from '../errors.js';
import type { AuditFailure } from '../model/index.js';
import { parseImageReference } from '../reference/index.js';
import { RegistryClient, redactCredentials, type RegistryClientOptions } from '../registry/index.js';

/** An image to audit, or a repository whose listing failed (reported as that image's failure). */
export interface AuditTarget {
  reference: string;
  repository: string;
  failure?: AuditFailure;
}

export interface TargetOptions {
  /** References, or with `tags`/`catalog`... repositories (arguments). */
  images: readonly string[];
  /** `-f FILE`: more references, one per line. */
  file?: string;
  /** `--tags`/`--tags-regex`/`--variant`: the arguments are repositories, their tags selected. */
  tags?: TagSelection;
  /** `--catalog HOST`: every repository of the registry. */
  catalog?: string;
  shard: Shard | null;
  registry: RegistryClientOptions;
}

const LOCAL_PREFIXES = ['docker-archive:', 'oci:', 'oci-archive:', 'docker-daemon:'];

/** What keeps images together in a shard: registry/repository, or the path of a local image. */
export function repositoryOf(reference: string): string {
  for (const prefix of LOCAL_PREFIXES) {
    if (reference.startsWith(prefix)) return reference.slice(prefix.length).replace(/:[^/:]*$/, '');
  }
  try {
    const parsed = parseImageReference(reference);
    return `${parsed.registry}/${parsed.repository}`;
  } catch {
    return reference;
  }
}

/** The registry host of a repository key (`host/repo`); a local image's path is its own. */
export function registryOf(repository: string): string {
  return repository.split('/')[0] ?? repository;
}

/** A failure as a record keeps it: one line, credentials masked. */
export function failureOf(error: unknown): AuditFailure {
  if (error instanceof ImgscopeError) {
    const hint = error.hint === undefined ? '' : ` (${error.hint})`;
    return { code: error.code, exitCode: error.exitCode, message: redactCredentials(error.message + hint) };
  }
  return {
    code: 'INTERNAL',
    exitCode: 70,
    message: redactCredentials(String((error as Error)?.message ?? error)),
  };
}

/** The images of this shard, each once, in the order listed. */
export async function listAuditTargets(options: TargetOptions): Promise<AuditTarget[]> {
  // Bad flags are usage errors before anything is asked of a registry.
  if (options.tags?.range !== undefined) checkTagRange(options.tags.range);
  if (options.tags?.regex !== undefined) checkTagRegex(options.tags.regex);
  const listed = [...options.images];
  if (options.file !== undefined) listed.push(...parseImageList(await readListFile(options.file)));
  const clients = new Map<string, RegistryClient>();
  const client = (registry: string): RegistryClient => {
    let found = clients.get(registry);
    if (found === undefined) clients.set(registry, (found = new RegistryClient(registry, options.registry)));
    return found;
  };
  try {
    let targets: AuditTarget[];
    if (options.catalog !== undefined) {
      const host = options.catalog;
      const repositories = (await client(host).listRepositories()).map(
        (repository) => `${host}/${repository}`,
      );
      targets = await tagsOf(repositories, options, client);
    } else if (options.tags !== undefined) {
      targets = await tagsOf(listed, options, client);
    } else {
      targets = listed.map((reference) => ({ reference, repository: repositoryOf(reference) }));
      if (options.shard !== null) targets = inShard(targets, options.shard);
    }
    const seen = new Set<string>();
    return targets.filter((target) => !seen.has(target.reference) && seen.add(target.reference));
  } finally {
    for (const each of clients.values()) each.close();
  }
}

/**
 * Tag listings asked for at once: a catalog of hundreds of repositories is not listed one round
 * trip after another, nor with hundreds of requests in flight.
 */
const LISTINGS_AT_ONCE = 8;

/** The selected tags of each repository of this shard; a listing that fails stands for its repository. */
async function tagsOf(
  repositories: readonly string[],
  options: TargetOptions,
  client: (registry: string) => RegistryClient,
): Promise<AuditTarget[]> {
  const limit = pLimit(LISTINGS_AT_ONCE);
  const inShard = [...new Set(repositories)].sort().flatMap((name) => {
    const parsed = parseRepository(name);
    const repository = `${parsed.registry}/${parsed.repository}`;
    const skipped =
      options.shard !== null && shardOfRepository(repository, options.shard.count) !== options.shard.index;
    return skipped ? [] : [{ parsed, repository }];
  });
  // In the sorted order of the repositories, whichever listing answers first.
  const listed = await Promise.all(
    inShard.map(({ parsed, repository }) =>
      limit(async (): Promise<AuditTarget[]> => {
        try {
          const tags = await client(parsed.registry).listTags(parsed.repository);
          const chosen = options.tags === undefined ? [...tags].sort() : selectTags(tags, options.tags);
          return chosen.map((tag) => ({ reference: `${repository}:${tag}`, repository }));
        } catch (error) {
          if (!(error instanceof ImgscopeError) || error instanceof UsageError) throw error;
          return [{ reference: repository, repository, failure: failureOf(error) }];
        }
      }),
    ),
  );
  return listed.flat();
}

function parseRepository(name: string): { registry: string; repository: string } {
  const parsed = parseImageReference(name);
  if (parsed.digest !== null || /:[^/]*$/.test(name.replace(/^[^/]*\//, ''))) {
    throw new UsageError(`${name}: with --tags or --tags-regex, name a repository without a tag or digest`);
  }
  return parsed;
}

async function readListFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputNotFoundError(`${file}: no such file`);
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}
