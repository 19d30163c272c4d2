/**
 * Why the layer reader has its own tar parser instead of tar-stream's extract (the card's tar
 * library, which the test helpers use to write layers):
 *
 * 1. End of archive: for every layer of dive's test images, the entries and header bytes each
 *    parser reports. Go's archive/tar (and so dive) stops at the end-of-archive marker; the
 *    eStargz layer keeps its TOC (`stargz.index.json`) after it, which tar-stream reads as a file.
 * 2. A million-entry layer (bench/million-files.ts's layout, written on first use): time and peak
 *    RSS of readLayer (src/layers) and of tar-stream's extract feeding the same entry table and
 *    hashing the same bodies, each in a fresh process, alternating, RUNS times; medians and ratios.
 *
 * Run: node --import tsx bench/tar-stream-vs-reader.ts [COUNT=1000000] [RUNS=3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';
import {
  classifyEntryName,
  createGunzipStream,
  peekStream,
  processContentKey,
  readLayer,
  sniffCompression,
} from '../src/layers/index.js';
import { contentHasher } from '../src/layers/content-hash.js';
import { EntryTable } from '../src/model/index.js';
import { openImageSource } from '../src/sources/index.js';
import { writeManyFilesLayout } from '../test/helpers/many-files.js';

type ReaderName = 'reader' | 'tar-stream';
interface LayerCount {
  entries: number;
  headerBytes: number;
  names: string[];
}

/** tar-stream's extract over the same decompressed bytes, building the same entry table. */
async function readWithTarStream(open: () => Promise<Readable>, keepNames: boolean): Promise<LayerCount> {
  const { head, stream } = await peekStream(await open(), 4);
  const compression = sniffCompression(head);
  if (compression === 'zstd') throw new Error('tar-stream-vs-reader: the layout is gzip or plain, not zstd');
  const decompressor = compression === 'gzip' ? createGunzipStream() : null;
  const table = new EntryTable();
  const names: string[] = [];
  let headerBytes = 0;
  const extract = tar.extract();
  extract.on('entry', (header, body, next) => {
    // The same naming rules as the reader: "./" is the root, "a/.wh.b" a whiteout...
    const classified = classifyEntryName(header.name);
    const file = header.type === 'file' || header.type === 'contiguous-file';
    if (classified.kind !== 'root' && classified.kind !== 'ignored') {
      headerBytes += header.size ?? 0;
      if (keepNames) names.push(classified.path);
      const type = classified.kind === 'path' ? (file ? 'file' : 'other') : classified.kind;
      table.add({
        path: classified.path,
        type,
        size: header.size ?? 0,
        mode: header.mode ?? 0,
        uid: header.uid ?? 0,
        gid: header.gid ?? 0,
      });
    }
    const hash = file ? contentHasher(processContentKey(), header.size ?? 0) : null;
    body.on('data', (chunk: unknown) => {
      hash?.update(chunk as Buffer);
    });
    body.on('end', () => {
      hash?.digest();
      next();
    });
  });
  const stages = decompressor === null ? [stream, extract] : [stream, decompressor, extract];
  await pipeline(stages as unknown as [Readable, Writable]);
  return { entries: table.length, headerBytes, names };
}

async function readWithReader(open: () => Promise<Readable>, keepNames: boolean): Promise<LayerCount> {
  const contents = await readLayer(
    { open, region: null },
    {
      label: 'layer',
      digest: null,
      size: null,
      diffId: null,
      contentKey: processContentKey(),
    },
  );
  const names = keepNames ? [...contents.entries].map((entry) => entry.path) : [];
  return { entries: contents.entries.length, headerBytes: contents.tarSizeBytes, names };
}

async function layersOf(image: string): Promise<(() => Promise<Readable>)[]> {
  const source = await openImageSource(image);
  const resolved = await source.resolve({});
  return resolved.layers.map((layer) => () => layer.open());
}

/** Child process: read the million-entry layer once with one reader, print one JSON line. */
async function measureOnce(reader: ReaderName, image: string): Promise<void> {
  const [open] = await layersOf(image);
  if (open === undefined) throw new Error(`${image} has no layer`);
  const started = process.hrtime.bigint();
  const count =
    reader === 'reader' ? await readWithReader(open, false) : await readWithTarStream(open, false);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ entries: count.entries, seconds, peakMiB }));
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

async function compareEndOfArchive(): Promise<void> {
  console.log("End of archive, dive's test images (entries / header bytes per layer):");
  for (const name of ['docker', 'kaniko', 'oci-estargz', 'oci-gzip', 'oci-uncompressed', 'oci-zstd']) {
    const image = `fixtures/dive/test-${name}-image.tar`;
    const layers = await layersOf(image);
    const differences: string[] = [];
    let same = 0;
    for (const [index, open] of layers.entries()) {
      const ours = await readWithReader(open, true);
      const theirs = await readWithTarStream(open, true);
      if (ours.entries === theirs.entries && ours.headerBytes === theirs.headerBytes) {
        same++;
        continue;
      }
      const known = new Set(ours.names);
      const extra = theirs.names.filter((path) => !known.has(path)).join(', ');
      differences.push(
        `  layer ${index}: reader ${ours.entries} entries / ${ours.headerBytes} B, tar-stream ${theirs.entries} / ${theirs.headerBytes} B (only tar-stream: ${extra})`,
      );
    }
    console.log(`${image}: ${same} of ${layers.length} layers read alike`);
    for (const line of differences) console.log(line);
  }
}

async function compareMillion(count: number, runs: number): Promise<void> {
  const dir = resolve(`.bench/files-${count}`);
  if (!existsSync(`${dir}/index.json`)) await writeManyFilesLayout(dir, count, 'empty');
  const samples: Record<ReaderName, { seconds: number; peakMiB: number }[]> = {
    reader: [],
    'tar-stream': [],
  };
  const self = fileURLToPath(import.meta.url);
  for (let run = 0; run < runs; run++) {
    for (const reader of ['reader', 'tar-stream'] as const) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', self, 'child', reader, `oci:${dir}`], {
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(`${reader} failed: ${child.stderr}`);
      const line = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
        entries: number;
        seconds: number;
        peakMiB: number;
      };
      if (line.entries < count) throw new Error(`${reader} read ${line.entries} entries, not ${count}`);
      samples[reader].push(line);
    }
  }
  console.log(`\nOne layer of ${count} empty files (gzip), ${runs} runs each, alternating, medians:`);
  const ours = samples.reader;
  const theirs = samples['tar-stream'];
  const row = (name: string, list: { seconds: number; peakMiB: number }[]): string =>
    `  ${name.padEnd(11)} ${median(list.map((s) => s.seconds)).toFixed(2)} s  peak RSS ${median(list.map((s) => s.peakMiB)).toFixed(0)} MiB   (runs: ${list.map((s) => `${s.seconds.toFixed(2)} s/${s.peakMiB.toFixed(0)} MiB`).join(', ')})`;
  console.log(row('reader', ours));
  console.log(row('tar-stream', theirs));
  const time = median(theirs.map((s) => s.seconds)) / median(ours.map((s) => s.seconds));
  const memory = median(theirs.map((s) => s.peakMiB)) / median(ours.map((s) => s.peakMiB));
  console.log(`  tar-stream / reader: time x${time.toFixed(2)}, peak RSS x${memory.toFixed(2)}`);
}

if (process.argv[2] === 'child') {
  await measureOnce(process.argv[3] as ReaderName, process.argv[4] ?? '');
} else {
  await compareEndOfArchive();
  await compareMillion(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 3));
}
