import { describe, expect, it } from 'vitest';
import {
  decodeLayerContents,
  encodeLayerContents,
  LAYER_CONTENTS_VERSION,
} from '../../../src/layers/index.js';
import { EMPTY_SHA256, EntryTable, type LayerContents, type LayerEntry } from '../../../src/model/index.js';

const HASH = 'ab'.repeat(32);

/** Every kind of entry and every optional field, names a separator would trip on included. */
function sample(): LayerContents {
  const entries: LayerEntry[] = [
    { path: '/etc', type: 'directory', size: 0, mode: 0o40755, uid: 0, gid: 0 },
    {
      path: '/etc/passwd',
      type: 'file',
      size: 61,
      mode: 0o100644,
      uid: 0,
      gid: 0,
      contentHash: HASH,
      accountIds: [
        ['root', 0],
        ['app', 10001],
      ],
    },
    {
      path: '/srv/.npmrc',
      type: 'file',
      size: 9e9,
      mode: 0o600,
      uid: 4_000_000_000,
      gid: 7,
      contentHash: 'made-up',
      secretKinds: ['npm-token'],
    },
    { path: '/empty', type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, contentHash: EMPTY_SHA256 },
    { path: '/unhashed', type: 'file', size: 3, mode: 0o644, uid: 0, gid: 0 },
    {
      path: '/link',
      type: 'hardlink',
      size: 0,
      mode: 0o644,
      uid: 0,
      gid: 0,
      linkTarget: '/etc/passwd',
      contentHash: HASH,
    },
    { path: '/link2', type: 'hardlink', size: 0, mode: 0o644, uid: 0, gid: 0, linkTarget: '/etc/passwd' },
    { path: '/sym', type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, linkTarget: 'a\0b/ünï/😀' },
    { path: '/d/na\0me with ünïcödé 😀', type: 'other', size: 0, mode: 0, uid: 0, gid: 0 },
    // A name of non-UTF-8 bytes: lone surrogates (tar-text.ts), which UTF-8 would lose.
    {
      path: '/bad-\udcff-\udc80',
      type: 'file',
      size: 1,
      mode: 0o644,
      uid: 0,
      gid: 0,
      linkTarget: '/x-\udcfe',
    },
    { path: '/gone', type: 'whiteout', size: 0, mode: 0, uid: 0, gid: 0 },
    { path: '/opaque', type: 'opaque', size: 0, mode: 0, uid: 0, gid: 0 },
  ];
  return {
    entries: EntryTable.from(entries),
    tarSizeBytes: 9_000_000_064,
    uncompressedBytes: 12_345,
    storedBytes: 6_789,
    compression: 'zstd',
    warnings: ['layer 1: a warning', 'layer 1: "ü" another'],
  };
}

function plain(contents: LayerContents): unknown {
  return { ...contents, entries: [...contents.entries] };
}

describe('layer contents codec', () => {
  it('gives back every entry, field and warning it was given', () => {
    const contents = sample();
    const decoded = decodeLayerContents(encodeLayerContents(contents));
    expect(plain(decoded)).toEqual(plain(contents));
    expect(decoded.entries.length).toBe(12);
    expect(decoded.entries.path(9)).toBe('/bad-\udcff-\udc80');
    expect(decoded.entries.get(7).linkTarget).toBe('a\0b/ünï/😀');
  });

  it('keeps the table writable: entries added after decoding grow it', () => {
    const decoded = decodeLayerContents(encodeLayerContents(sample()));
    for (let i = 0; i < 40; i++) {
      const index = decoded.entries.add({
        path: `/new/${i}`,
        type: 'file',
        size: i,
        mode: 0o644,
        uid: 0,
        gid: 0,
      });
      decoded.entries.setContentHash(index, HASH);
    }
    expect(decoded.entries.length).toBe(52);
    expect(decoded.entries.get(51)).toEqual({
      path: '/new/39',
      type: 'file',
      size: 39,
      mode: 0o644,
      uid: 0,
      gid: 0,
      contentHash: HASH,
    });
    expect(decoded.entries.get(1).contentHash).toBe(HASH);
  });

  it('round-trips an empty layer', () => {
    const empty: LayerContents = {
      entries: new EntryTable(),
      tarSizeBytes: 0,
      uncompressedBytes: 1024,
      storedBytes: 1024,
      compression: 'none',
      warnings: [],
    };
    expect(plain(decodeLayerContents(encodeLayerContents(empty)))).toEqual(plain(empty));
  });

  it('encodes into one buffer of its own with the version at byte 4', () => {
    const buffer = encodeLayerContents(sample());
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(new DataView(buffer).getUint32(4, true)).toBe(LAYER_CONTENTS_VERSION);
  });

  it('refuses another version, another format and a cut buffer', () => {
    const buffer = encodeLayerContents(sample());
    const future = buffer.slice(0);
    new DataView(future).setUint32(4, LAYER_CONTENTS_VERSION + 1, true);
    expect(() => decodeLayerContents(future)).toThrow(
      `an encoded layer result of version ${LAYER_CONTENTS_VERSION + 1}, not ${LAYER_CONTENTS_VERSION}`,
    );
    expect(() => decodeLayerContents(new ArrayBuffer(16))).toThrow('not an encoded layer result');
    expect(() => decodeLayerContents(buffer.slice(0, buffer.byteLength - 1))).toThrow(
      'an encoded layer result of the wrong length',
    );
  });
});
