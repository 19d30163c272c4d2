import { readFileSync } from 'node:fs';
import { builtFileUrl } from './built-file-url.js';

/** The part of the WebAssembly global used here (TypeScript's Node types do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

/** Thrown where a module is needed and Node runs without WebAssembly (`node --jitless`). */
export class WebAssemblyOffError extends Error {
  constructor() {
    super('WebAssembly is not available');
    this.name = 'WebAssemblyOffError';
  }
}

/** The WebAssembly global; undefined where Node runs without it (`node --jitless`). */
function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/**
 * One of our WebAssembly modules, `path` under dist/ (scripts/bundle-commands.js copies them
 * there; from the sources, the same path under src/), compiled; undefined where WebAssembly is
 * off. Throws where the file cannot be read.
 */
export function compileBuiltWasm(path: string): object | undefined {
  const wasm = webAssembly();
  return wasm === undefined ? undefined : new wasm.Module(readFileSync(builtFileUrl(import.meta.url, path)));
}

/** The exports of a new instance of a module `compileBuiltWasm` compiled (ours import nothing). */
export function instantiateWasm(module: object): object {
  const wasm = webAssembly();
  if (wasm === undefined) throw new WebAssemblyOffError();
  return new wasm.Instance(module, {}).exports;
}
