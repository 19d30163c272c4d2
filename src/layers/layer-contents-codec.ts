import { InputFormatError } from '../errors.js';
import { EntryTable, type Compression, type LayerContents, type SparseColumns } from '../model/index.js';

/**
 * One layer's result as one self-contained ArrayBuffer: what a worker thread hands back (as a
 * transferable, so nothing is copied) and the form a layer-result cache stores (DESIGN.md
 * section 10). Bump `LAYER_CONTENTS_VERSION` whenever the layout or the meaning of a field
 * changes; a reader refuses any other version instead of misreading it.
 *
 * Layout: "ISLC", version (u32), header length (u32), the header as JSON (scalars, warnings,
 * the sparse columns), padding to 8 bytes, then the columns back to back: sizes (f64), modes,
 * uids, gids (u32), hash slots (i32), path lengths (u32), link-target indices (i32) and
 * lengths (u32), types (u8), the sha256 store (32 bytes each), then all paths and all link
 * targets, each run as one string (Latin-1, or UTF-16 where a name needs it) cut by the lengths
 * (a name may hold any character, NUL included, so no separator would do).
 */
export const LAYER_CONTENTS_VERSION = 1;

const MAGIC = 0x434c5349; // "ISLC" read as a little-endian u32
const PREFIX_BYTES = 12;

interface Header {
  length: number;
  hashBytes: number;
  linkCount: number;
  pathBytes: number;
  linkBytes: number;
  pathEncoding: RunEncoding;
  linkEncoding: RunEncoding;
  tarSizeBytes: number;
  uncompressedBytes: number;
  storedBytes: number;
  compression: Compression;
  warnings: string[];
  sparse: SparseColumns;
}

/** Byte lengths of the sections after the header, in their order. */
type Twelve<T> = [T, T, T, T, T, T, T, T, T, T, T, T];

function sectionLengths(header: Header): Twelve<number> {
  const n = header.length;
  const links = header.linkCount;
  return [
    n * 8,
    n * 4,
    n * 4,
    n * 4,
    n * 4,
    n * 4,
    links * 4,
    links * 4,
    n,
    header.hashBytes,
    header.pathBytes,
    header.linkBytes,
  ];
}

const encoder = new TextEncoder();

export function encodeLayerContents(contents: LayerContents): ArrayBuffer {
  const columns = contents.entries.columns();
  const paths = encodeRun(columns.paths.join(''));
  const linkIndices: number[] = [];
  const linkTargets: string[] = [];
  columns.linkTargets?.forEach((target, index) => {
    if (target === undefined) return;
    linkIndices.push(index);
    linkTargets.push(target);
  });
  const links = encodeRun(linkTargets.join(''));
  const header: Header = {
    length: columns.length,
    hashBytes: columns.hashBytes.length,
    linkCount: linkIndices.length,
    pathBytes: paths.bytes.length,
    linkBytes: links.bytes.length,
    pathEncoding: paths.encoding,
    linkEncoding: links.encoding,
    tarSizeBytes: contents.tarSizeBytes,
    uncompressedBytes: contents.uncompressedBytes,
    storedBytes: contents.storedBytes,
    compression: contents.compression,
    warnings: contents.warnings,
    sparse: columns.sparse,
  };
  const json = encoder.encode(JSON.stringify(header));
  const start = align8(PREFIX_BYTES + json.length);
  const total = start + sectionLengths(header).reduce((a, b) => a + b, 0);
  const buffer = new ArrayBuffer(total);
  const view = new DataView(buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, LAYER_CONTENTS_VERSION, true);
  view.setUint32(8, json.length, true);
  const bytes = new Uint8Array(buffer);
  bytes.set(json, PREFIX_BYTES);
  let offset = start;
  const put = (section: ArrayBufferView): void => {
    bytes.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), offset);
    offset += section.byteLength;
  };
  put(columns.sizes);
  put(columns.modes);
  put(columns.uids);
  put(columns.gids);
  put(columns.hashSlots);
  put(Uint32Array.from(columns.paths, (path) => path.length));
  put(Int32Array.from(linkIndices));
  put(Uint32Array.from(linkTargets, (target) => target.length));
  put(columns.types);
  put(columns.hashBytes);
  put(paths.bytes);
  put(links.bytes);
  return buffer;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function decodeLayerContents(buffer: ArrayBuffer): LayerContents {
  const view = new DataView(buffer);
  if (buffer.byteLength < PREFIX_BYTES || view.getUint32(0, true) !== MAGIC) {
    throw new InputFormatError('not an encoded layer result');
  }
  const version = view.getUint32(4, true);
  if (version !== LAYER_CONTENTS_VERSION) {
    throw new InputFormatError(
      `an encoded layer result of version ${version}, not ${LAYER_CONTENTS_VERSION}`,
    );
  }
  const jsonLength = view.getUint32(8, true);
  const header = JSON.parse(decoder.decode(new Uint8Array(buffer, PREFIX_BYTES, jsonLength))) as Header;
  const [
    sizes,
    modes,
    uids,
    gids,
    slots,
    pathLengths,
    linkIndices,
    linkLengths,
    types,
    hashes,
    paths,
    links,
  ] = sections(buffer, align8(PREFIX_BYTES + jsonLength), sectionLengths(header));
  const n = header.length;
  let linkTargets: (string | undefined)[] | null = null;
  if (header.linkCount > 0) {
    linkTargets = new Array<string | undefined>(n).fill(undefined);
    const indices = new Int32Array(buffer, linkIndices.byteOffset, header.linkCount);
    const targets = cut(
      decodeRun(links, header.linkEncoding),
      new Uint32Array(buffer, linkLengths.byteOffset, header.linkCount),
    );
    let previous: string | undefined;
    indices.forEach((index, i) => {
      const target = targets[i] ?? '';
      // Equal neighbours share one string, as EntryTable.setLinkTarget keeps them.
      previous = target === previous ? previous : target;
      linkTargets![index] = previous;
    });
  }
  const entries = EntryTable.fromColumns({
    length: n,
    paths: cut(decodeRun(paths, header.pathEncoding), new Uint32Array(buffer, pathLengths.byteOffset, n)),
    types,
    sizes: new Float64Array(buffer, sizes.byteOffset, n),
    modes: new Uint32Array(buffer, modes.byteOffset, n),
    uids: new Uint32Array(buffer, uids.byteOffset, n),
    gids: new Uint32Array(buffer, gids.byteOffset, n),
    hashSlots: new Int32Array(buffer, slots.byteOffset, n),
    hashBytes: hashes,
    linkTargets,
    sparse: header.sparse,
  });
  return {
    entries,
    tarSizeBytes: header.tarSizeBytes,
    uncompressedBytes: header.uncompressedBytes,
    storedBytes: header.storedBytes,
    compression: header.compression,
    warnings: header.warnings,
  };
}

/** Byte views of consecutive sections starting at `start`. */
function sections(buffer: ArrayBuffer, start: number, lengths: Twelve<number>): Twelve<Uint8Array> {
  let offset = start;
  if (start + lengths.reduce((a, b) => a + b, 0) !== buffer.byteLength) {
    throw new InputFormatError('an encoded layer result of the wrong length');
  }
  return lengths.map((length) => {
    const view = new Uint8Array(buffer, offset, length);
    offset += length;
    return view;
  }) as Twelve<Uint8Array>;
}

/**
 * Names are kept as JavaScript has them, code unit for code unit: a name of non-UTF-8 bytes holds
 * lone surrogates (tar-text.ts), which UTF-8 cannot carry. One byte per unit where every unit
 * fits (nearly always), two otherwise.
 */
type RunEncoding = 'latin1' | 'utf16le';

function encodeRun(run: string): { bytes: Buffer; encoding: RunEncoding } {
  const encoding: RunEncoding = /[\u0100-\uffff]/.test(run) ? 'utf16le' : 'latin1';
  return { bytes: Buffer.from(run, encoding), encoding };
}

function decodeRun(bytes: Uint8Array, encoding: RunEncoding): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
}

/** Cuts a run of strings into its pieces by their lengths. */
function cut(run: string, lengths: Uint32Array): string[] {
  const pieces = new Array<string>(lengths.length);
  let start = 0;
  lengths.forEach((length, i) => {
    pieces[i] = run.slice(start, start + length);
    start += length;
  });
  if (start !== run.length) throw new InputFormatError('an encoded layer result whose names do not add up');
  return pieces;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
