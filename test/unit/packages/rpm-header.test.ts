import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRpmHeader, RpmHeaderError, RpmTag } from '../../../src/packages/rpm-header.js';
import { rpmPackageOf } from '../../../src/packages/rpm.js';
import { rpmHeader } from '../../helpers/rpm-database.js';

const BASH = rpmHeader({
  name: 'bash',
  version: '5.2.26',
  release: '3.fc40',
  epoch: 1,
  arch: 'x86_64',
  license: 'GPL-3.0-or-later',
  requires: ['libc.so.6()(64bit)', '/usr/bin/sh'],
  files: [
    ['/usr/bin/bash', 1_500_000],
    ['/usr/bin/sh', 4],
    ['/usr/share/doc/bash/README', 3_000],
  ],
});

describe('rpm header blobs', () => {
  it('reads identity, files, size and requirements from a header in the database format', () => {
    expect(rpmPackageOf(BASH, true)).toEqual({
      name: 'bash',
      version: '1:5.2.26-3.fc40',
      architecture: 'x86_64',
      license: 'GPL-3.0-or-later',
      installedSizeBytes: 1_503_004,
      files: ['/usr/bin/bash', '/usr/bin/sh', '/usr/share/doc/bash/README'],
      requires: ['libc.so.6()(64bit)', '/usr/bin/sh'],
      provides: [],
    });
    // gpg-pubkey pseudo-packages have no architecture and no files.
    expect(
      rpmPackageOf(rpmHeader({ name: 'gpg-pubkey', version: 'a15b79cc', release: '63d04c2c' }), true),
    ).toMatchObject({ name: 'gpg-pubkey', version: 'a15b79cc-63d04c2c', architecture: null, files: null });
  });

  it('decodes only the tags asked for, and the later of two entries for a tag', () => {
    const header = parseRpmHeader(BASH, new Set([RpmTag.NAME, 1008]));
    expect([...header.keys()].sort()).toEqual([RpmTag.NAME, 1008]);
    expect(header.get(1008)).toEqual([1_700_000_000]);
  });

  it.each([
    ['too short', Buffer.from([0, 0, 0])],
    ['no entries', Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])],
    ['a length that disagrees with the counts', Buffer.concat([BASH, Buffer.from([0])])],
    ['cut short', BASH.subarray(0, BASH.length - 10)],
  ])('refuses a blob that is %s', (_name, blob) => {
    expect(() => parseRpmHeader(blob, new Set([RpmTag.NAME]))).toThrow(RpmHeaderError);
  });

  it('refuses offsets outside the data store, misaligned integers and unterminated strings', () => {
    const entry = (tag: number, type: number, offset: number, count: number, data: Buffer): Buffer => {
      const blob = Buffer.alloc(8 + 16 + data.length);
      blob.writeInt32BE(1, 0);
      blob.writeInt32BE(data.length, 4);
      blob.writeInt32BE(tag, 8);
      blob.writeUInt32BE(type, 12);
      blob.writeInt32BE(offset, 16);
      blob.writeUInt32BE(count, 20);
      data.copy(blob, 24);
      return blob;
    };
    const messages = [
      entry(1000, 6, 9, 1, Buffer.from('bash\0')),
      entry(1000, 6, -4, 1, Buffer.from('bash\0')),
      entry(1000, 6, 0, 1, Buffer.from('bash')),
      entry(1116, 4, 2, 1, Buffer.alloc(8)),
      entry(1116, 4, 0, 3, Buffer.alloc(8)),
      entry(1117, 8, 0, 0xffffffff, Buffer.from('a\0')),
      entry(1000, 42, 0, 1, Buffer.from('bash\0')),
    ].map((blob) => {
      try {
        parseRpmHeader(blob, new Set([1000, 1116, 1117]));
        return 'parsed';
      } catch (err) {
        return err instanceof RpmHeaderError ? err.message : `not an RpmHeaderError: ${String(err)}`;
      }
    });
    expect(messages).toEqual([
      'tag 1000: offset 9 outside the 5-byte data store',
      'tag 1000: offset -4 outside the 5-byte data store',
      'tag 1000: string 0 has no terminating NUL',
      'tag 1116: offset 2 not aligned to 4',
      'tag 1116: 12 bytes at 0 run past the data store',
      'tag 1117: count 4294967295',
      'tag 1000: unknown type 42',
    ]);
  });

  it('a damaged header is an RpmHeaderError or a package, never another exception', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(BASH.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (damage) => {
          const blob = Buffer.from(BASH);
          for (const [at, value] of damage) blob[at] = value;
          try {
            rpmPackageOf(blob, true);
          } catch (err) {
            expect(err).toBeInstanceOf(RpmHeaderError);
          }
        },
      ),
      { numRuns: 2000, seed: 15 },
    );
  });
});
