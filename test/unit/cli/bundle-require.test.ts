import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bundleRequire } from '../../../src/cli/bundle-require.js';

const require = createRequire(import.meta.url);

describe('the require of the own-commands bundles', () => {
  const bundled = bundleRequire(import.meta.filename);

  it("gives Node's other modules and packages as createRequire does", () => {
    expect(bundled('node:path')).toBe(require('node:path'));
    expect(bundled('node:os')).toBe(require('node:os'));
    expect(bundled.resolve('vitest')).toBe(require.resolve('vitest'));
  });

  it('gives the modules loaded on first use as objects that behave as the modules', () => {
    for (const id of [
      'node:worker_threads',
      'worker_threads',
      'node:child_process',
      'child_process',
      'node:zlib',
      'stream',
      'node:stream/promises',
    ]) {
      const real = require(id) as Record<string, unknown>;
      const lazy = bundled(id) as Record<string, unknown>;
      expect(lazy).not.toBe(real);
      for (const name of Object.keys(real)) expect(lazy[name]).toBe(real[name]);
      expect(Object.keys(lazy)).toEqual(Object.keys(real));
      expect(Object.keys(real).every((name) => name in lazy)).toBe(true);
      expect('noSuchExport' in lazy).toBe(false);
      // A spread lists the module's names and values, as it does for the module itself.
      expect({ ...lazy }).toEqual({ ...real });
    }
  });
});
