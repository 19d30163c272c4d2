import { createRequire } from 'node:module';

/** zlib's crc32: a string's UTF-8 bytes or a view's, continuing from `value` (a uint32). */
type NativeCrc32 = (data: string | Uint8Array, value: number) => number;

/**
 * CRC-32 (zlib's, IEEE 802.3) of `bytes`, continuing from `initial`: what a stored layer result
 * and a code cache are checked with (accidental damage: the caches are private, so no hash would
 * stop a writer), and what names a code cache. zlib's own (Node >= 20.15, vectorized) where Node
 * has it; the same polynomial in a table otherwise (engines allow any Node 20).
 */
export function crc32(bytes: string | Uint8Array, initial = 0): number {
  // zlib's crc32() gives 0 for no buffer at all, which is what an empty view may hand it.
  if (bytes.length === 0) return initial;
  const native = nativeCrc32();
  if (native !== null) return native(bytes, initial >>> 0);
  return tableCrc32(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, initial);
}

/** Whether zlib's crc32 is there (Node >= 20.15): the table is too slow for a code cache's megabytes. */
export function nativeCrc32Available(): boolean {
  return nativeCrc32() !== null;
}

let native: NativeCrc32 | null | undefined;

/**
 * The newest Node major whose zlib binding was checked to give crc32 without a warning (20, 22
 * and 24 were): a later one, which may warn of process.binding at every call or drop it, takes
 * node:zlib's until it is checked too.
 */
const BINDING_CHECKED_UP_TO_MAJOR = 24;

/**
 * zlib's crc32, taken from Node's zlib binding where that may be asked without a warning: the
 * node:zlib module loads Node's streams with it (about 3 ms of a small image's start on Node 20,
 * which otherwise loads no stream at all). process.binding is deprecated (DEP0111), a warning
 * only with --pending-deprecation: then, on a Node after those checked, or where the binding has
 * no crc32, node:zlib's.
 */
function nativeCrc32(): NativeCrc32 | null {
  if (native !== undefined) return native;
  native = null;
  if (Number(process.versions.node.split('.')[0]) <= BINDING_CHECKED_UP_TO_MAJOR && !pendingDeprecation()) {
    try {
      const binding = (process as { binding?: (name: string) => { crc32?: unknown } }).binding?.('zlib');
      if (typeof binding?.crc32 === 'function') native = binding.crc32 as NativeCrc32;
    } catch {
      // A Node without the binding (or that refuses it): node:zlib's below.
    }
  }
  if (native === null) {
    // Any absolute path resolves Node's own modules: the CommonJS launcher has no import.meta.
    const zlib = createRequire(process.execPath)('node:zlib') as { crc32?: NativeCrc32 };
    if (typeof zlib.crc32 === 'function') native = zlib.crc32;
  }
  return native;
}

/** Whether this Node warns of pending deprecations (the flag, in its arguments or NODE_OPTIONS, or the variable). */
function pendingDeprecation(): boolean {
  const flag = '--pending-deprecation';
  return (
    process.execArgv.includes(flag) ||
    (process.env['NODE_OPTIONS'] ?? '').includes(flag) ||
    process.env['NODE_PENDING_DEPRECATION'] === '1'
  );
}

let table: Uint32Array | null = null;

/** The table-driven CRC-32, byte by byte (exported for the test that holds it to zlib's). */
export function tableCrc32(bytes: Uint8Array, initial = 0): number {
  table ??= makeTable();
  let crc = ~initial >>> 0;
  for (const byte of bytes) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return ~crc >>> 0;
}

function makeTable(): Uint32Array {
  const made = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    made[n] = c >>> 0;
  }
  return made;
}
