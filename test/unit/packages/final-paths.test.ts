import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeLayers } from '../../../src/analysis/index.js';
import type { FileList, FilePeek } from '../../../src/model/index.js';
import { FinalPaths } from '../../../src/packages/final-paths.js';
import { layer } from '../../helpers/layer-contents.js';

const peeked = (): FilePeek => ({ type: 'other', size: 0, linkTarget: null, layerIndex: 0 });

/** `files` as a list that knows no directory: FinalPaths then resolves every path it misses. */
function withoutDirectories(files: FileList): FileList {
  return {
    get length() {
      return files.length;
    },
    has: (path) => files.has(path),
    isDirectory: () => false,
    get: (path) => files.get(path),
    peek: (path, into) => files.peek(path, into),
    under: (path) => files.under(path),
    [Symbol.iterator]: () => files[Symbol.iterator](),
  };
}

describe('final paths of listed files', () => {
  const merged = mergeLayers([
    layer(
      ['symlink', '/bin', 'usr/bin'],
      ['dir', '/usr/bin'],
      ['file', '/usr/bin/bash', 10],
      ['dir', '/usr/share/doc/bash'],
      ['file', '/usr/share/doc/bash/README', 5],
      ['dir', '/opt/tool'],
    ),
    layer(['symlink', '/opt', 'usr/share']),
  ]).finalFiles;

  it('knows the final directories: not the root, not a path below a symlink', () => {
    expect(['/usr', '/usr/bin', '/usr/share/doc/bash'].map((path) => merged.isDirectory(path))).toEqual([
      true,
      true,
      true,
    ]);
    for (const path of ['/', '/bin', '/usr/bin/bash', '/opt', '/opt/tool', '/absent'])
      expect(merged.isDirectory(path)).toBe(false);
  });

  it('finds a listed file behind a symlinked directory, and no file at a listed directory', () => {
    const paths = new FinalPaths(merged);
    const into = peeked();
    expect(paths.peek('/bin/bash', into)).toBe('/usr/bin/bash');
    expect(into).toEqual({ type: 'file', size: 10, linkTarget: null, layerIndex: 0 });
    expect(paths.peek('/opt/doc/bash/README', into)).toBe('/usr/share/doc/bash/README');
    expect(paths.peek('/bin', into)).toBe('/bin');
    for (const path of ['/usr/bin', '/bin/', '/opt/doc/bash', '/usr/share/doc', '/bin/absent'])
      expect(paths.peek(path, peeked())).toBeNull();
  });

  it('gives what resolving every missed path gives, over any stack of layers', () => {
    const names = ['/a', '/a/b', '/a/b/c', '/l', '/l/c', '/usr', '/usr/a', '/usr/a/b'];
    const spec = fc.oneof(
      fc.tuple(fc.constant('dir' as const), fc.constantFrom(...names)),
      fc.tuple(fc.constant('file' as const), fc.constantFrom(...names), fc.nat(9)),
      fc.tuple(
        fc.constant('symlink' as const),
        fc.constantFrom(...names),
        fc.constantFrom('usr/a', '/a', 'b', '..', 'a/b'),
      ),
      fc.tuple(fc.constant('whiteout' as const), fc.constantFrom(...names)),
    );
    fc.assert(
      fc.property(fc.array(fc.array(spec, { maxLength: 6 }), { minLength: 1, maxLength: 3 }), (layers) => {
        const files = mergeLayers(layers.map((specs) => layer(...specs))).finalFiles;
        const shortcut = new FinalPaths(files);
        const resolving = new FinalPaths(withoutDirectories(files));
        for (const path of [...names, '/l/b/c', '/usr/a/b/c', '/a/c']) {
          const into = peeked();
          const expected = peeked();
          expect(shortcut.peek(path, into)).toBe(resolving.peek(path, expected));
          expect(into).toEqual(expected);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
