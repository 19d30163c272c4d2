import { createCipheriv } from 'node:crypto';
import { CONTENT_HASH_BYTES } from '../model/index.js';
import { compileBuiltWasm, type WasmInstantiator } from './built-wasm.js';
import type { ContentHasher } from './content-hash.js';
import type { ContentKey } from './content-key.js';

/** poly1305-wasm/poly1305.wasm, built from poly1305.c beside it by scripts/build-poly1305-wasm.sh. */
const WASM_PATH = 'layers/poly1305-wasm/poly1305.wasm';

/** A hash's state in the module: 24 32-bit words (poly1305.c says what they hold). */
const STATE_BYTES = 24 * 4;

/** What the module exports (pointers are i32 on wasm32). */
interface Poly1305Exports {
  memory: { buffer: ArrayBuffer };
  /** Where the state being worked on lies. */
  state(): number;
  /** Where the bytes to hash go, and the key before `begin`, and the tag after `finish`. */
  scratch(): number;
  scratchBytes(): number;
  begin(): void;
  update(length: number): void;
  finish(lengthLow: number, lengthHigh: number): void;
}

/** The module's instance on this thread and views on its memory, which never grows. */
interface Poly1305Module {
  exports: Poly1305Exports;
  bytes: Uint8Array;
  state: number;
  scratch: number;
  scratchBytes: number;
  /** The tag whose state the module's state area holds now (`WasmPoly1305Tag.#load`). */
  holder: WasmPoly1305Tag | null;
  /** A fresh state (h = 0) for each key met, by key. */
  fresh: WeakMap<ContentKey, Uint8Array>;
}

let loaded: Poly1305Module | null | undefined;

/**
 * The module, instantiated once per thread on first use; null where WebAssembly is off
 * (--jitless) or the module is not beside the code (a build by tsc alone, which copies no
 * .wasm): OpenSSL then hashes every body, to the same tags.
 */
function poly1305Module(): Poly1305Module | null {
  if (loaded !== undefined) return loaded;
  let instantiate: WasmInstantiator | undefined;
  try {
    instantiate = compileBuiltWasm(WASM_PATH);
  } catch {
    // No module file: see above.
  }
  if (instantiate === undefined) {
    loaded = null;
    return loaded;
  }
  const exports = instantiate() as Poly1305Exports;
  loaded = {
    exports,
    bytes: new Uint8Array(exports.memory.buffer),
    state: exports.state(),
    scratch: exports.scratch(),
    scratchBytes: exports.scratchBytes(),
    holder: null,
    fresh: new WeakMap(),
  };
  return loaded;
}

/** Whether this thread can hash with `WasmPoly1305Tag`. */
export function wasmPoly1305Available(): boolean {
  return poly1305Module() !== null;
}

/**
 * The content hash of content-hash.ts (RFC 8439's Poly1305 tag over the body as additional data,
 * nothing encrypted, under the one-time key ChaCha20 derives from the content key and the zero
 * nonce), computed by poly1305.c as WebAssembly: the same 16 bytes as OpenSSL's cipher gives,
 * without a cipher object per file: three to five times faster for a body of up to 2 KiB, where
 * OpenSSL's vector code is five times faster per byte for a large one (bench/content-hash.ts).
 * Call only where `wasmPoly1305Available()`.
 */
export class WasmPoly1305Tag implements ContentHasher {
  readonly #module: Poly1305Module;
  /** This hash's state while another hash's is in the module: null while it is there itself. */
  #saved: Uint8Array | null;
  #length = 0;

  constructor(key: ContentKey) {
    const module = poly1305Module()!;
    this.#module = module;
    this.#saved = WasmPoly1305Tag.#fresh(module, key);
  }

  update(chunk: Uint8Array): void {
    const module = this.#load();
    for (let at = 0; at < chunk.length; at += module.scratchBytes) {
      const piece = chunk.subarray(at, at + module.scratchBytes);
      module.bytes.set(piece, module.scratch);
      module.exports.update(piece.length);
    }
    this.#length += chunk.length;
  }

  /**
   * The 16-byte tag; the hash is finished afterwards. Copied by the typed array's own `slice`
   * (a V8 built-in): `Buffer.from` runs Node's JavaScript, slow while it is cold, once a file.
   */
  digest(): Uint8Array {
    const module = this.#load();
    module.exports.finish(this.#length >>> 0, Math.floor(this.#length / 2 ** 32));
    module.holder = null;
    return module.bytes.slice(module.scratch, module.scratch + CONTENT_HASH_BYTES);
  }

  /**
   * Puts this hash's state in the module, first saving the state there of another hash not yet
   * finished (two layers read at once on one thread each have a body under way).
   */
  #load(): Poly1305Module {
    const module = this.#module;
    if (module.holder === this) return module;
    WasmPoly1305Tag.#evict(module);
    module.bytes.set(this.#saved!, module.state);
    this.#saved = null;
    module.holder = this;
    return module;
  }

  /** The state of a hash not yet begun under `key`, made once per key and thread. */
  static #fresh(module: Poly1305Module, key: ContentKey): Uint8Array {
    let fresh = module.fresh.get(key);
    if (fresh !== undefined) return fresh;
    const { bytes, state, scratch } = module;
    WasmPoly1305Tag.#evict(module);
    // ChaCha20's first block under the key and the zero nonce (RFC 8439, 2.6): r, then s.
    const oneTimeKey = createCipheriv('chacha20', key.bytes, new Uint8Array(16)).update(new Uint8Array(32));
    bytes.set(oneTimeKey, scratch);
    module.exports.begin();
    fresh = bytes.slice(state, state + STATE_BYTES);
    module.fresh.set(key, fresh);
    return fresh;
  }

  /** Saves the state in the module into the unfinished hash it belongs to, if any. */
  static #evict(module: Poly1305Module): void {
    const holder = module.holder;
    if (holder === null) return;
    holder.#saved = module.bytes.slice(module.state, module.state + STATE_BYTES);
    module.holder = null;
  }
}
