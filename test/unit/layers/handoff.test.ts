import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompressionStages } from '../../../src/layers/compression.js';
import { Handoff } from '../../../src/layers/handoff.js';
import { fillBytes } from '../../helpers/fill.js';

describe('Handoff', () => {
  it('passes each chunk on after the call that wrote it has returned, not inside it', async () => {
    const handoff = new Handoff();
    const seen: string[] = [];
    handoff.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    // Flowing from the next tick on: a plain pass-through would now hand chunks on inside write().
    await new Promise((resolve) => process.nextTick(resolve));
    handoff.write(Buffer.from('a'));
    seen.push('write returned');
    await new Promise((resolve) => process.nextTick(resolve));
    expect(seen).toEqual(['write returned', 'a']);
  });

  it('gives a gzip layer back byte for byte, in order, behind the gunzip stages', async () => {
    const tar = fillBytes('handoff', 3 * 1024 * 1024, 'text');
    const stored = gzipSync(tar);
    const stages = decompressionStages('gzip');
    expect(stages.map((stage) => stage.constructor.name)).toEqual(['Gunzip', 'Handoff']);
    const out: Buffer[] = [];
    const chunks: Buffer[] = [];
    for (let at = 0; at < stored.length; at += 100_000) chunks.push(stored.subarray(at, at + 100_000));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    });
    await pipeline([Readable.from(chunks), ...stages, sink]);
    expect(Buffer.concat(out).equals(tar)).toBe(true);
    expect(decompressionStages('none')).toEqual([]);
  });
});
