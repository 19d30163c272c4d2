import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

/** `--shard INDEX/COUNT`: this process audits shard INDEX (from 0) of COUNT. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !(count >= 1) || !(index < count) || !Number.isSafeInteger(count)) {
    throw new UsageError(`--shard ${JSON.stringify(text)} must be INDEX/COUNT with 0 <= INDEX < COUNT`, {
      hint: 'in an Indexed Job: --shard $(JOB_COMPLETION_INDEX)/COMPLETIONS',
    });
  }
  return { index, count };
}

/**
 * The shard of a repository: from a hash of its name alone, so that every image of a repository
 * (which share layers) lands in one shard, and a repository keeps its shard when others come
 * and go in the registry between the pods' listings.
 */
export function shardOfRepository(repository: string, count: number): number {
  return createHash('sha256').update(repository).digest().readUInt32BE(0) % count;
}

export function inShard<T extends { repository: string }>(items: readonly T[], shard: Shard): T[] {
  return items.filter((item) => shardOfRepository(item.repository, shard.count) === shard.index);
}
