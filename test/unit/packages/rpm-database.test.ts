import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSqlite, readRpmDatabase } from '../../../src/packages/rpm-database.js';
import { RpmTag } from '../../../src/packages/rpm-header.js';
import { rpmPackageOf } from '../../../src/packages/rpm.js';
import { headerBlob, rpmDatabaseOf, rpmHeader } from '../../helpers/rpm-database.js';

/** A header entry's value, as the helper encodes it. */
type Value = Parameters<typeof headerBlob>[0] extends Map<number, infer V> ? V : never;

const ALL_TAGS = new Set<number>(Object.values(RpmTag));

const BASH = rpmHeader({
  name: 'bash',
  version: '5.2.26',
  release: '3.fc40',
  arch: 'x86_64',
  requires: ['libc.so.6()(64bit)'],
  changelogBytes: 40_000,
  files: [
    ['/usr/bin/bash', 1_500_000],
    ['/usr/bin/sh', 4],
  ],
});

/** The package a blob decodes to, or the message of the error decoding it. */
function outcome(blob: Uint8Array): unknown {
  try {
    return rpmPackageOf(blob, true);
  } catch (err) {
    return (err as Error).message;
  }
}

/** The blobs as readRpmDatabase copies them out of a database holding them. */
async function readBack(blobs: Uint8Array[]): Promise<Uint8Array[]> {
  const rows = readRpmDatabase(await loadSqlite(), await rpmDatabaseOf(blobs), ALL_TAGS);
  expect(rows.skipped).toEqual([]);
  expect(rows.headers.map(({ number }) => number)).toEqual(blobs.map((_blob, index) => index + 1));
  return rows.headers.map(({ blob }) => blob);
}

describe('rpm database reading', () => {
  it('copies out the index and the values asked for, not the changelog', async () => {
    const [read] = await readBack([BASH]);
    expect(read?.byteLength).toBe(BASH.byteLength);
    expect(Buffer.from(BASH).includes('Rebuilt')).toBe(true);
    expect(Buffer.from(read ?? []).includes('Rebuilt')).toBe(false);
    expect(outcome(read ?? BASH)).toEqual(outcome(BASH));
  });

  it('reads an index longer than the first read, and a string running into the next entry', async () => {
    // 300 entries: an index of 4,808 bytes.
    const many = headerBlob(
      new Map<number, Value>([
        [RpmTag.NAME, { type: 6, value: 'many' }],
        [RpmTag.VERSION, { type: 6, value: '1' }],
        ...Array.from({ length: 297 }, (_, index): [number, Value] => [
          20_000 + index,
          { type: 4, value: [index] },
        ]),
      ]),
    );
    // NAME's string "bash" runs over SUMMARY's entry (at offset 2, "sh"), which is not asked for.
    const overlapping = Buffer.alloc(8 + 48 + 7);
    overlapping.writeInt32BE(3, 0);
    overlapping.writeInt32BE(7, 4);
    for (const [at, tag, offset] of [
      [8, RpmTag.NAME, 0],
      [24, 1004, 2],
      [40, RpmTag.VERSION, 5],
    ] as const) {
      overlapping.writeInt32BE(tag, at);
      overlapping.writeUInt32BE(6, at + 4);
      overlapping.writeInt32BE(offset, at + 8);
      overlapping.writeUInt32BE(1, at + 12);
    }
    overlapping.write('bash\0' + '1\0', 56);
    const read = await readBack([many, overlapping]);
    expect(read.map(outcome)).toMatchObject([
      { name: 'many', version: '1' },
      { name: 'bash', version: '1' },
    ]);
  });

  it('decodes damaged headers exactly as their whole blobs decode', async () => {
    const damaged = fc.sample(
      fc.array(fc.tuple(fc.nat(BASH.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean()), {
        minLength: 1,
        maxLength: 6,
      }),
      { numRuns: 300, seed: 15 },
    );
    const index = BASH.readInt32BE(0) * 16 + 8;
    const blobs = damaged.map((damage) => {
      const blob = Buffer.from(BASH);
      // Most damage to the counts and index, where the bytes to read are decided.
      for (const [at, value, inIndex] of damage) blob[inIndex ? at % index : at] = value;
      return blob;
    });
    const read = await readBack(blobs);
    expect(read.map(outcome)).toEqual(blobs.map(outcome));
  });
});
