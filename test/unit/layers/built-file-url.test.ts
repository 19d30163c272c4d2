import { describe, expect, it } from 'vitest';
import { builtFileUrl } from '../../../src/layers/built-file-url.js';

const WASM = 'layers/zstd-wasm/zstd-decompress.wasm';

describe('builtFileUrl', () => {
  it('finds a file of dist/ from any module or bundle built into dist/', () => {
    for (const module of [
      'dist/layers/wasm-zstd.js',
      'dist/layers/worker.js',
      'dist/commands/analyze.js',
      'dist/commands/audit/index.js',
      'dist/chunks/chunk-7CDSS3N7.js',
    ]) {
      expect(builtFileUrl(`file:///opt/dist/lib/node_modules/imgscope/${module}`, WASM).href).toBe(
        `file:///opt/dist/lib/node_modules/imgscope/dist/${WASM}`,
      );
    }
  });

  it('finds the same path under src/ from the sources, even in a checkout below a dist/', () => {
    expect(builtFileUrl('file:///home/dist/imgscope/src/layers/wasm-zstd.ts', WASM).href).toBe(
      `file:///home/dist/imgscope/src/${WASM}`,
    );
    expect(builtFileUrl('file:///home/me/imgscope/src/layers/layer-reader.ts', 'layers/worker.js').href).toBe(
      'file:///home/me/imgscope/src/layers/worker.js',
    );
  });
});
