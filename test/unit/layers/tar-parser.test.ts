import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';
import type { TarHeader } from '../../../src/layers/tar-header.js';
import { consumerStream } from '../../../src/layers/stream-adapters.js';
import { TarParser } from '../../../src/layers/tar-parser.js';

interface Seen {
  name: string;
  type: string;
  size: number;
  linkname: string;
  body: string;
}

async function parse(bytes: Buffer, chunkSize = 7): Promise<Seen[]> {
  const seen: Seen[] = [];
  const parser = new TarParser((header: TarHeader) => {
    const record = {
      name: header.name,
      type: header.type,
      size: header.size,
      linkname: header.linkname,
      body: '',
    };
    seen.push(record);
    return { update: (chunk) => (record.body += chunk.toString()), end: () => undefined };
  });
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  await pipeline(Readable.from(chunks), consumerStream(parser));
  return seen;
}

/** A real tar made by GNU tar in the given format, from a small tree with a long name and links. */
async function gnuTar(format: 'gnu' | 'pax' | 'ustar'): Promise<Buffer> {
  const dir = await tempDir();
  const long = 'd'.repeat(120);
  mkdirSync(join(dir, 'root', long), { recursive: true });
  writeFileSync(join(dir, 'root', long, 'file.txt'), 'hello');
  writeFileSync(join(dir, 'root', 'short'), 'x'.repeat(1000));
  symlinkSync('short', join(dir, 'root', 'link'));
  const names = format === 'ustar' ? ['root/short', 'root/link'] : ['root'];
  execFileSync('tar', ['--format', format, '--sort=name', '-cf', join(dir, 'out.tar'), '-C', dir, ...names]);
  return readFileSync(join(dir, 'out.tar'));
}

afterAll(cleanupTempDirs);

describe('TarParser', () => {
  it.each(['gnu', 'pax'] as const)(
    'reads %s long names, bodies, links, across odd chunk boundaries',
    async (format) => {
      const seen = await parse(await gnuTar(format));
      const long = 'd'.repeat(120);
      expect(
        seen.map((entry) => [entry.name.replace(/\/$/, ''), entry.type, entry.size, entry.linkname]),
      ).toEqual([
        ['root', '5', 0, ''],
        [`root/${long}`, '5', 0, ''],
        [`root/${long}/file.txt`, '0', 5, ''],
        ['root/link', '2', 0, 'short'],
        ['root/short', '0', 1000, ''],
      ]);
      expect(seen[2]?.body).toBe('hello');
      expect(seen[4]?.body).toBe('x'.repeat(1000));
    },
  );

  it('stops at the end-of-archive marker, as Go (and so dive) does', async () => {
    const first = await gnuTar('ustar');
    const trailing = await gnuTar('ustar');
    const seen = await parse(Buffer.concat([first, trailing]), 4096);
    expect(seen.map((entry) => entry.name)).toEqual(['root/short', 'root/link']);
  });

  it('fails on a stream that ends inside an entry', async () => {
    const bytes = await gnuTar('ustar');
    await expect(parse(bytes.subarray(0, 700))).rejects.toThrow(
      /truncated layer: "root\/short" at offset 0 declares 1000 bytes but the stream ends 188 bytes into it/,
    );
    await expect(parse(bytes.subarray(0, 300))).rejects.toThrow(
      /truncated layer: the stream ends inside the header block at offset 0/,
    );
  });

  it('fails on a header whose checksum is wrong', async () => {
    const bytes = Buffer.from(await gnuTar('ustar'));
    bytes[0] = 0x41;
    await expect(parse(bytes)).rejects.toThrow(/not a tar stream/);
    const second = Buffer.from(await gnuTar('ustar'));
    second[512 * 3 + 10] = 0x41; // header of the second entry (after 1 header + 2 body blocks)
    await expect(parse(second)).rejects.toThrow(/corrupt tar header at offset 1536 \(checksum mismatch\)/);
  });

  it('accepts an empty stream as an empty layer', async () => {
    expect(await parse(Buffer.alloc(0))).toEqual([]);
  });

  it('reads the same entries whether headers are whole in a chunk or split between chunks', async () => {
    const bytes = await gnuTar('pax');
    const expected = await parse(bytes);
    expect(expected).toHaveLength(5);
    for (const size of [1, 511, 512, 513, 1024, 4096, bytes.length])
      expect(await parse(bytes, size)).toEqual(expected);
    // A header at an odd offset of its chunk (a copy that does not start on a block).
    const odd = Buffer.alloc(bytes.length + 3);
    bytes.copy(odd, 3);
    expect(await parse(odd.subarray(3), bytes.length)).toEqual(expected);
  });

  describe('numeric fields', () => {
    /** A one-entry ustar archive whose uid field is `uid` (8 bytes), with a valid checksum. */
    function withUid(uid: Buffer): Buffer {
      const header = Buffer.alloc(512);
      header.write('file', 0);
      header.write('0000644\0', 100);
      uid.copy(header, 108);
      header.write('0000000\0', 116);
      header.write('00000000000\0', 124);
      header.write('00000000000\0', 136);
      header.write('0', 156);
      header.write('ustar\x0000', 257);
      header.fill(0x20, 148, 156);
      let sum = 0;
      for (const byte of header) sum += byte;
      header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
      return Buffer.concat([header, Buffer.alloc(1024)]);
    }
    async function uidOf(uid: Buffer, chunkSize: number): Promise<number> {
      const uids: number[] = [];
      const parser = new TarParser((header) => {
        uids.push(header.uid);
        return null;
      });
      const bytes = withUid(uid);
      for (let i = 0; i < bytes.length; i += chunkSize) parser.take(bytes.subarray(i, i + chunkSize));
      parser.end();
      expect(uids).toHaveLength(1);
      return uids[0]!;
    }

    it.each([
      ['0001750\0', 1000],
      [' 1750 \0 ', 1000],
      ['\t 17\r\n  ', 15],
      ['1750\0xyz', 1000],
      ['\0\0\0\0\0\0\0\0', 0],
      ['        ', 0],
      ['17501750', 0o17501750],
    ])('reads %j as %d', async (field, value) => {
      for (const chunkSize of [7, 4096])
        expect(await uidOf(Buffer.from(field, 'latin1'), chunkSize)).toBe(value);
    });

    it('reads a GNU base-256 value', async () => {
      const field = Buffer.from([0x80, 0, 0, 0, 0, 0x01, 0x00, 0x01]);
      expect(await uidOf(field, 4096)).toBe(65537);
    });

    it.each(['17 50\0  ', '0001758\0', '-0000001', '175x\0   '])('rejects %j', async (field) => {
      for (const chunkSize of [7, 4096])
        await expect(uidOf(Buffer.from(field, 'latin1'), chunkSize)).rejects.toThrow(
          /not a tar stream|corrupt tar header at offset 0 \(bad numeric field\)/,
        );
    });
  });
});
