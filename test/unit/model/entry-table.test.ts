import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { EMPTY_CONTENT_HASH, EntryTable, type LayerEntry } from '../../../src/model/index.js';

describe('EntryTable', () => {
  it('gives back every entry as it was added, past its first growth, optional fields included', () => {
    const entries: LayerEntry[] = Array.from({ length: 40 }, (_, i) => ({
      path: `/d/f${i}`,
      type: 'file',
      size: i * 1_000_000_000,
      mode: 0o100644,
      uid: 4_000_000_000,
      gid: i,
      contentHash: `hash-${i}`,
    }));
    entries.push(
      { path: '/d/l', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: 'f1' },
      {
        path: '/etc/passwd',
        type: 'file',
        size: 30,
        mode: 0o644,
        uid: 0,
        gid: 0,
        contentHash: 'p',
        accountIds: [['app', 10001]],
        secretKinds: ['private-key'],
      },
      { path: '/gone', type: 'whiteout', size: 0, mode: 0, uid: 0, gid: 0 },
    );
    const table = EntryTable.from(entries);
    expect(table.length).toBe(43);
    expect([...table]).toEqual(entries);
    expect(table.size(39)).toBe(39_000_000_000);
    expect(table.type(42)).toBe('whiteout');
    expect(table.linkTarget(40)).toBe('f1');
    expect(table.contentHash(42)).toBeUndefined();
    expect(table.some((entry) => entry.path === '/d/l')).toBe(true);
    expect(table.some((entry) => entry.path === '/d/x')).toBe(false);
  });

  it('keeps mode, uid and gid as unsigned 32-bit numbers', () => {
    const table = new EntryTable();
    table.add({ path: '/x', type: 'file', size: 1, mode: 2 ** 32 + 5, uid: -1, gid: 2 ** 32 - 1 });
    expect([table.mode(0), table.uid(0), table.gid(0)]).toEqual([5, 2 ** 32 - 1, 2 ** 32 - 1]);
  });

  it('keeps 16-byte content hashes as bytes and gives them back as the same hex, others as written', () => {
    const table = new EntryTable();
    const hashes = Array.from({ length: 40 }, (_, i) =>
      createHash('sha256').update(String(i)).digest('hex').slice(0, 32),
    );
    for (const [i, hash] of hashes.entries()) {
      table.setContentHash(
        table.add({ path: `/f${i}`, type: 'file', size: 1, mode: 0, uid: 0, gid: 0 }),
        hash,
      );
    }
    const empty = table.add({ path: '/e', type: 'file', size: 0, mode: 0, uid: 0, gid: 0 });
    table.setEmptyContent(empty);
    const madeUp = table.add({ path: '/m', type: 'file', size: 1, mode: 0, uid: 0, gid: 0 });
    table.setContentHash(madeUp, 'hash-of-/m');
    table.setContentHash(3, hashes[7] ?? '');
    expect(Array.from({ length: 40 }, (_, i) => table.contentHash(i))).toEqual(
      hashes.map((hash, i) => (i === 3 ? hashes[7] : hash)),
    );
    expect([table.contentHash(empty), table.contentHash(madeUp)]).toEqual([EMPTY_CONTENT_HASH, 'hash-of-/m']);
    expect(table.get(madeUp).contentHash).toBe('hash-of-/m');
    // 40 hashes in the binary store (one overwritten in place), 16 bytes each; the rest are kinds.
    expect(table.columns().hashBytes.length).toBe(40 * 16);
    expect(table.columns().sparse.otherHashes).toEqual([[madeUp, 'hash-of-/m']]);
    table.setContentDigest(madeUp, Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
    expect(table.contentHash(madeUp)).toBe('00112233445566778899aabbccddeeff');
    expect(table.columns().hashBytes.length).toBe(41 * 16);
    // A sha256-long hex (64 digits) is not a content hash: kept as written.
    const long = hashes.join('').slice(0, 64);
    table.setContentHash(empty, long);
    expect(table.contentHash(empty)).toBe(long);
  });
});
