import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingToolsReason } from '../../helpers/host-features.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

const committed = new URL('../../../src/layers/poly1305-wasm/poly1305.wasm', import.meta.url);
const script = new URL('../../../scripts/build-poly1305-wasm.sh', import.meta.url);

/** The toolchain the committed module was built with (the script's output is byte-stable only with it). */
function clangMajor(): number | null {
  if (missingToolsReason('the Poly1305 WebAssembly build', ['clang', 'wasm-ld']) !== null) return null;
  const version = /clang version (\d+)\./.exec(execFileSync('clang', ['--version'], { encoding: 'utf8' }));
  return version === null ? null : Number(version[1]);
}

describe('the Poly1305 WebAssembly', () => {
  afterAll(cleanupTempDirs);

  it.skipIf(clangMajor() !== 14)(
    'is what scripts/build-poly1305-wasm.sh builds from poly1305.c (no edit left unbuilt)',
    async () => {
      const out = join(await tempDir('poly1305-wasm'), 'poly1305.wasm');
      execFileSync('sh', [script.pathname, out], { stdio: 'pipe' });
      expect(readFileSync(out).equals(readFileSync(committed))).toBe(true);
    },
  );
});
