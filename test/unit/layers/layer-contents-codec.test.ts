import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CorruptLayerResultError,
  decodeLayerContents,
  encodeLayerContents,
  encodeLayerContentsParts,
  LAYER_CONTENTS_VERSION,
} from '../../../src/layers/index.js';
import {
  EMPTY_CONTENT_HASH,
  EntryTable,
  type LayerContents,
  type LayerEntry,
} from '../../../src/model/index.js';

/** A content hash as the reader makes them (16 bytes), kept in the binary store. */
const HASH = 'ab'.repeat(16);

/** An entry with every field LayerEntry has (a new field fails to compile here until added). */
const everyField: Required<LayerEntry> = {
  path: '/var/lib/dpkg/status',
  type: 'file',
  size: 12,
  mode: 0o100644,
  uid: 0,
  gid: 0,
  linkTarget: '/made/up',
  contentHash: HASH,
  secretKinds: ['private-key'],
  accountIds: [['root', 0]],
  packageMetadata: Buffer.from('Package: a\n\n'),
};

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
    { path: '/empty', type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, contentHash: EMPTY_CONTENT_HASH },
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
    // A name of non-UTF-8 bytes holds lone surrogates (tar-text.ts): kept unit for unit.
    {
      path: '/bad-\udcff-\udc80',
      type: 'file',
      size: 0,
      mode: 0,
      uid: 0,
      gid: 0,
      contentHash: EMPTY_CONTENT_HASH,
    },
    { path: '/gone', type: 'whiteout', size: 0, mode: 0, uid: 0, gid: 0 },
    { path: '/opaque', type: 'opaque', size: 0, mode: 0, uid: 0, gid: 0 },
    everyField,
    {
      path: '/var/lib/dpkg/info/a.list',
      type: 'file',
      size: 0,
      mode: 0o644,
      uid: 0,
      gid: 0,
      contentHash: EMPTY_CONTENT_HASH,
      packageMetadata: Buffer.alloc(0),
    },
    {
      path: '/etc/os-release',
      type: 'file',
      size: 256,
      mode: 0o644,
      uid: 0,
      gid: 0,
      contentHash: HASH,
      packageMetadata: Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    },
  ];
  return {
    entries: EntryTable.from(entries),
    tarSizeBytes: 9_000_000_064,
    uncompressedBytes: 12_345,
    storedBytes: 6_789,
    compression: 'zstd',
    warnings: ['layer 1: a warning', 'layer 1: "ü" another \udc80'],
    contentKeyId: '0123456789abcdef0123456789abcdef',
  };
}

function plain(contents: LayerContents): unknown {
  return { ...contents, entries: [...contents.entries] };
}

/** Writes a new CRC-32 over an edited buffer, as a buggy writer would. */
function resealed(buffer: ArrayBuffer): ArrayBuffer {
  const bytes = new Uint8Array(buffer);
  new DataView(buffer).setUint32(12, zlib.crc32(bytes.subarray(16), zlib.crc32(bytes.subarray(0, 12))), true);
  return buffer;
}

/** The buffer with its JSON header edited, padded to its length (the columns stay in place). */
function withHeader(buffer: ArrayBuffer, edit: (header: Record<string, unknown>) => void): ArrayBuffer {
  const copy = buffer.slice(0);
  const length = new DataView(copy).getUint32(8, true);
  const bytes = new Uint8Array(copy);
  const header = JSON.parse(Buffer.from(bytes.subarray(16, 16 + length)).toString('utf8')) as Record<
    string,
    unknown
  >;
  edit(header);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  expect(json.length).toBeLessThanOrEqual(length);
  bytes.fill(0x20, 16, 16 + length);
  bytes.set(json, 16);
  return resealed(copy);
}

describe('layer contents codec', () => {
  it('gives back every entry, field and warning it was given', () => {
    const contents = sample();
    const decoded = decodeLayerContents(encodeLayerContents(contents));
    expect(plain(decoded)).toEqual(plain(contents));
    expect(decoded.entries.length).toBe(15);
    expect(decoded.entries.get(7).linkTarget).toBe('a\0b/ünï/😀');
    expect(decoded.entries.get(9).path).toBe('/bad-\udcff-\udc80');
    expect(decoded.entries.get(12)).toEqual(everyField);
    expect([...decoded.entries.packageMetadata().keys()]).toEqual([12, 13, 14]);
    expect(decoded.entries.get(14).packageMetadata).toEqual(sample().entries.get(14).packageMetadata);
  });

  it('carries hashes a read deferred, a hard link sharing one, and where their bodies lie', () => {
    const contents = sample();
    const table = contents.entries;
    const big = table.add({ path: '/big', type: 'file', size: 20_000, mode: 0o644, uid: 0, gid: 0 });
    table.setDeferredContent(big, 1536);
    const link = table.add({ path: '/link', type: 'hardlink', size: 0, mode: 0o644, uid: 0, gid: 0 });
    table.setLinkTarget(link, '/big');
    table.shareContentHash(link, big);
    const decoded = decodeLayerContents(encodeLayerContents(contents)).entries;
    expect(decoded.deferredBodies()).toEqual([[big, 1536]]);
    expect(decoded.hasDeferredContent()).toBe(true);
    // Decoded where nothing can read the body: asking for its hash is an error, for both entries.
    expect(() => decoded.contentHash(link)).toThrow('the content hash of "/big" was deferred');
    decoded.hashDeferredBodiesWith((offset, length) => Buffer.from(`${offset}:${length}`.padEnd(16, '.')));
    expect(Buffer.from(decoded.contentHash(link)!, 'hex').toString()).toBe('1536:20000......');
    expect(decoded.contentHash(big)).toBe(decoded.contentHash(link));
    // The rest as before the deferred entries were added.
    expect(plain({ ...contents, entries: EntryTable.from([...decoded].slice(0, 15)) })).toEqual(
      plain(sample()),
    );

    // A link that shares a later entry's body, or one that shares nothing deferred: a writer bug.
    const buffer = encodeLayerContents(contents);
    const columns = buffer.slice(0);
    const jsonLength = new DataView(columns).getUint32(8, true);
    const offsets = new Float64Array(columns, Math.ceil((16 + jsonLength) / 8) * 8 + 17 * 8, 17);
    for (const bad of [-(link + 1), -(link + 2), -3, 0.5]) {
      offsets[link] = bad;
      expect(() => decodeLayerContents(resealed(columns.slice(0)))).toThrow(
        'an encoded layer result has a bad offset of a deferred body',
      );
    }
    // A deferred hash in a result without the column of offsets.
    const plainBuffer = encodeLayerContents(sample());
    const plainJson = new DataView(plainBuffer).getUint32(8, true);
    new Int32Array(plainBuffer, Math.ceil((16 + plainJson) / 8) * 8 + 15 * 8 + 15 * 4 * 3, 15)[0] = -4;
    expect(() => decodeLayerContents(resealed(plainBuffer))).toThrow(
      'an encoded layer result has a bad content-hash slot',
    );
  });

  it('decodes bytes read from a file, wherever they start in their buffer', () => {
    const encoded = new Uint8Array(encodeLayerContents(sample()));
    const pooled = Buffer.alloc(encoded.length + 3);
    pooled.set(encoded, 3);
    expect(plain(decodeLayerContents(pooled.subarray(3)))).toEqual(plain(sample()));
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
    expect(decoded.entries.length).toBe(55);
    expect(decoded.entries.get(54)).toEqual({
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

  it.each([
    ['one byte a character', ''],
    ['two bytes a character', '\u00fc\ud83d\ude00'],
  ])(
    'gives back the names of a layer whose names run past 64 KiB (%s), each decoded on its own',
    (_, wide) => {
      const entries = new EntryTable();
      for (let i = 0; i < 5_000; i++) {
        const index = entries.add({
          path: `/srv/data${wide}/file-${i}`,
          type: 'hardlink',
          size: 0,
          mode: 0o644,
          uid: 0,
          gid: 0,
        });
        entries.setLinkTarget(index, `/srv/data${wide}/file-${i >> 4}`);
      }
      const contents: LayerContents = { ...sample(), entries };
      const decoded = decodeLayerContents(encodeLayerContents(contents));
      expect(plain(decoded)).toEqual(plain(contents));
    },
  );

  it('round-trips an empty layer', () => {
    const empty: LayerContents = {
      entries: new EntryTable(),
      tarSizeBytes: 0,
      uncompressedBytes: 1024,
      storedBytes: 1024,
      compression: 'none',
      warnings: [],
      contentKeyId: '',
    };
    expect(plain(decodeLayerContents(encodeLayerContents(empty)))).toEqual(plain(empty));
  });

  it('encodes into one buffer of its own with the version at byte 4', () => {
    const buffer = encodeLayerContents(sample());
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(new DataView(buffer).getUint32(4, true)).toBe(LAYER_CONTENTS_VERSION);
  });

  it('gives the same bytes in pieces, the columns as views of the table rather than copies', () => {
    const contents = sample();
    const parts = encodeLayerContentsParts(contents);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(encodeLayerContents(contents)));
    expect(plain(decodeLayerContents(Buffer.concat(parts)))).toEqual(plain(contents));
    // The sizes column (the first after the header) is the table's own memory.
    expect(parts[1]?.buffer).toBe(contents.entries.columns().sizes.buffer);
  });

  it('refuses another version and another format', () => {
    const future = encodeLayerContents(sample());
    new DataView(future).setUint32(4, LAYER_CONTENTS_VERSION + 1, true);
    expect(() => decodeLayerContents(future)).toThrow(
      `an encoded layer result is of version ${LAYER_CONTENTS_VERSION + 1}, not ${LAYER_CONTENTS_VERSION}`,
    );
    expect(() => decodeLayerContents(new ArrayBuffer(64))).toThrow(
      'an encoded layer result is missing its signature',
    );
    expect(() => decodeLayerContents(new ArrayBuffer(3))).toThrow(CorruptLayerResultError);
  });

  it('refuses the buffer cut at any length and any byte changed, with its own error', () => {
    const buffer = encodeLayerContents(sample());
    const failures = new Set<string>();
    for (let length = 0; length < buffer.byteLength; length += 7) {
      expect(() => decodeLayerContents(buffer.slice(0, length))).toThrow(CorruptLayerResultError);
    }
    for (let at = 0; at < buffer.byteLength; at += 5) {
      const damaged = new Uint8Array(buffer.slice(0));
      damaged[at] = (damaged[at] ?? 0) ^ 0x10;
      try {
        decodeLayerContents(damaged.buffer);
        failures.add(`decoded with byte ${at} changed`);
      } catch (err) {
        if (!(err instanceof CorruptLayerResultError)) failures.add(`byte ${at}: ${String(err)}`);
      }
    }
    expect([...failures]).toEqual([]);
    expect(() => decodeLayerContents(buffer.slice(0, buffer.byteLength - 1))).toThrow(
      'an encoded layer result does not match its CRC-32 (cut short or damaged)',
    );
  });

  it('refuses a sealed buffer whose header or columns do not fit together (a writer bug)', () => {
    const buffer = encodeLayerContents(sample());
    expect(() => decodeLayerContents(withHeader(buffer, (h) => (h['compression'] = 'lzma')))).toThrow(
      'an encoded layer result has a bad header field "compression"',
    );
    expect(() => decodeLayerContents(withHeader(buffer, (h) => (h['length'] = 16)))).toThrow(
      'an encoded layer result is of the wrong length',
    );
    expect(() => decodeLayerContents(withHeader(buffer, (h) => (h['warnings'] = 7)))).toThrow(
      'an encoded layer result has a bad header field "warnings"',
    );
    expect(() => decodeLayerContents(withHeader(buffer, (h) => (h['contentKeyId'] = 7)))).toThrow(
      'an encoded layer result has a bad header field "contentKeyId"',
    );
    expect(() =>
      decodeLayerContents(
        withHeader(buffer, (h) => {
          const sparse = h['sparse'] as { secretKinds: [number, unknown][] };
          sparse.secretKinds[0]![1] = 7;
        }),
      ),
    ).toThrow('an encoded layer result has a bad header field "sparse.secretKinds"');
    // The first entry's type code (the types column follows the eight u32/i32 columns).
    const columns = buffer.slice(0);
    const jsonLength = new DataView(columns).getUint32(8, true);
    const start = Math.ceil((16 + jsonLength) / 8) * 8;
    const n = 15;
    const links = 4;
    const metadata = 3;
    new Uint8Array(columns)[start + n * 8 + n * 4 * 5 + links * 8 + metadata * 8] = 9;
    expect(() => decodeLayerContents(resealed(columns))).toThrow(
      'an encoded layer result has a bad entry type',
    );
  });
});
