import { instantiateWasm } from './built-wasm.js';

/**
 * The sum of a tar block's 512 bytes, which a header's checksum is checked against: once per
 * entry of every layer, on every reading thread.
 *
 * By a WebAssembly function where the runtime has WebAssembly: a layer's headers are mostly read
 * before V8 has optimized the JavaScript loop that sums them (its optimizing compiler runs at the
 * lowest priority while two threads read: see helper-threads.ts), and there the loop costs about
 * 11 us a block, the module's function 0.9 us; once both are hot, 0.44 and 0.14 us (a million
 * calls, this machine's first-generation EPYC). WebAssembly's baseline compiler compiles the
 * function on the calling thread: it waits for no helper.
 */
const BLOCK_BYTES = 512;

/**
 * The module, assembled by hand (it is small enough to read as its text):
 *
 *   (module
 *     (memory (export "m") 1)
 *     (func (export "s") (result i32) (local $sums v128) (local $at i32)
 *       (loop $blocks
 *         ;; 16 bytes at a time into eight 16-bit lanes (32 steps: a lane holds at most 16,320)
 *         (local.set $sums (i16x8.add (local.get $sums)
 *           (i16x8.extadd_pairwise_i8x16_u (v128.load (local.get $at)))))
 *         (br_if $blocks (i32.lt_u (local.tee $at (i32.add (local.get $at) (i32.const 16)))
 *           (i32.const 512))))
 *       (local.set $sums (i32x4.extadd_pairwise_i16x8_u (local.get $sums)))
 *       (i32.add (i32.add (i32.add (i32x4.extract_lane 0 (local.get $sums))
 *         (i32x4.extract_lane 1 (local.get $sums))) (i32x4.extract_lane 2 (local.get $sums)))
 *         (i32x4.extract_lane 3 (local.get $sums)))))
 *
 * The block is copied to the memory's first 512 bytes before each call.
 */
// prettier-ignore
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // types: () -> i32
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x05, 0x03, 0x01, 0x00, 0x01, // memories: one, one page
  0x07, 0x09, 0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x73, 0x00, 0x00, // exports: "m" memory, "s" function
  0x0a, 0x42, 0x01, 0x40, // code: one body of 64 bytes
  0x02, 0x01, 0x7b, 0x01, 0x7f, // locals: $sums v128, $at i32
  0x03, 0x40, // loop
  0x20, 0x00, 0x20, 0x01, 0xfd, 0x00, 0x00, 0x00, // $sums, v128.load $at
  0xfd, 0x7d, 0xfd, 0x8e, 0x01, 0x21, 0x00, // i16x8.extadd_pairwise_i8x16_u, i16x8.add, set $sums
  0x20, 0x01, 0x41, 0x10, 0x6a, 0x22, 0x01, // $at + 16, tee $at
  0x41, 0x80, 0x04, 0x49, 0x0d, 0x00, 0x0b, // < 512: again; end
  0x20, 0x00, 0xfd, 0x7f, 0x22, 0x00, // i32x4.extadd_pairwise_i16x8_u, tee $sums
  0xfd, 0x1b, 0x00, // lane 0
  0x20, 0x00, 0xfd, 0x1b, 0x01, 0x6a, // + lane 1
  0x20, 0x00, 0xfd, 0x1b, 0x02, 0x6a, // + lane 2
  0x20, 0x00, 0xfd, 0x1b, 0x03, 0x6a, // + lane 3
  0x0b, // end
]);

/** What the module exports. */
interface BlockSumExports {
  m: { buffer: ArrayBuffer };
  s: () => number;
}

interface BlockSummer {
  memory: Uint8Array;
  sum: () => number;
}

/** The module's instance on this thread, made on first use; null where WebAssembly is off (--jitless). */
let summer: BlockSummer | null | undefined;

function blockSummer(): BlockSummer | null {
  if (summer !== undefined) return summer;
  const exports = instantiateWasm(MODULE) as BlockSumExports | undefined;
  // The memory never grows: the view stays valid.
  summer = exports === undefined ? null : { memory: new Uint8Array(exports.m.buffer), sum: exports.s };
  return summer;
}

/** The sum of the 512 bytes of `block` (shorter: the bytes it has). */
export function blockByteSum(block: Uint8Array): number {
  const wasm = block.length === BLOCK_BYTES ? blockSummer() : null;
  if (wasm === null) return blockByteSumInJs(block);
  wasm.memory.set(block);
  return wasm.sum();
}

/** `blockByteSum` in JavaScript: four bytes a step where the block is aligned for it. */
export function blockByteSumInJs(block: Uint8Array): number {
  if (block.byteOffset % 4 !== 0 || block.length !== BLOCK_BYTES) {
    let sum = 0;
    for (let i = 0; i < block.length && i < BLOCK_BYTES; i++) sum += block[i] ?? 0;
    return sum;
  }
  // Two 16-bit lanes (128 words of at most 2 x 255 each: no lane overflows).
  const words = new Uint32Array(block.buffer, block.byteOffset, BLOCK_BYTES / 4);
  let lanes = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? 0;
    lanes += (word & 0x00ff00ff) + ((word >>> 8) & 0x00ff00ff);
  }
  return (lanes & 0xffff) + (lanes >>> 16);
}
