import { describe, expect, it } from 'vitest';
import { EntryTable, type LayerContents } from '../../../src/model/index.js';
import { LayerMemo } from '../../../src/services/layer-memo.js';

function contents(entries: number): LayerContents {
  const table = new EntryTable();
  for (let i = 0; i < entries; i++)
    table.add({ path: `/f${i}`, type: 'file', size: 1, mode: 0o644, uid: 0, gid: 0 });
  return {
    entries: table,
    tarSizeBytes: entries,
    uncompressedBytes: 0,
    storedBytes: 0,
    compression: 'none',
    warnings: [],
    contentKeyId: 'test',
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the audit layer memo', () => {
  it('keeps layers up to its entry bound, evicting the least recently used first', async () => {
    const memo = new LayerMemo(10);
    memo.set('a', Promise.resolve(contents(4)));
    memo.set('b', Promise.resolve(contents(4)));
    await settle();
    expect(memo.get('a')).toBeDefined(); // a is now the most recent
    memo.set('c', Promise.resolve(contents(4)));
    await settle();
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBeDefined();
    expect(memo.get('c')).toBeDefined();
    expect(memo.size).toBe(2);
  });

  it('forgets a failed read so that the next image reads the layer again', async () => {
    const memo = new LayerMemo(10);
    const failed = Promise.reject(new Error('gone'));
    failed.catch(() => undefined);
    memo.set('a', failed);
    await settle();
    expect(memo.get('a')).toBeUndefined();
  });
});
