import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOfRepository } from '../../../src/audit/index.js';

describe('--shard INDEX/COUNT', () => {
  it('parses INDEX/COUNT and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '-1/4', '1/0', '1', 'a/b', '1/4/2', '']) {
      expect(() => parseShard(bad)).toThrow(/must be INDEX\/COUNT with 0 <= INDEX < COUNT/);
    }
  });

  it('puts every image of a repository in one shard and every image in exactly one', () => {
    const images = Array.from({ length: 200 }, (_, i) => ({
      repository: `reg/repo-${i % 37}`,
      reference: `reg/repo-${i % 37}:${i}`,
    }));
    const shards = [0, 1, 2, 3].map((index) => inShard(images, { index, count: 4 }));
    expect(
      shards
        .flat()
        .map((i) => i.reference)
        .sort(),
    ).toEqual(images.map((i) => i.reference).sort());
    for (const shard of shards) {
      for (const image of shard) expect(shardOfRepository(image.repository, 4)).toBe(shards.indexOf(shard));
    }
    // The first four bytes of sha256 of the name, modulo the count: the same in every pod.
    expect([0, 1, 2, 3, 4].map((i) => shardOfRepository(`reg/repo-${i}`, 4))).toEqual([1, 1, 2, 3, 0]);
  });
});
