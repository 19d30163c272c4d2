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

/** Makes a new instance of a compiled module and returns its exports (ours import nothing). */
export type WasmInstantiator = () => object;

/**
 * One of our WebAssembly modules, `path` under dist/ (scripts/bundle-commands.js copies them
 * there; from the sources, the same path under src/), compiled, as what instantiates it;
 * undefined where WebAssembly is off. Throws where the file cannot be read.
 */
export function compileBuiltWasm(path: string): WasmInstantiator | undefined {
  const wasm = webAssembly();
  if (wasm === undefined) return undefined;
  const module = new wasm.Module(readFileSync(builtFileUrl(import.meta.url, path)));
  return () => new wasm.Instance(module, {}).exports;
}

/**
 * Instantiates a module given as its bytes (one small enough to keep in the code) and returns
 * its exports; undefined where WebAssembly is off.
 */
export function instantiateWasm(bytes: Uint8Array): object | undefined {
  const wasm = webAssembly();
  return wasm === undefined ? undefined : new wasm.Instance(new wasm.Module(bytes), {}).exports;
}
