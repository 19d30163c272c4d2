import { describe, expect, it } from 'vitest';
import { ENTRY_CHANGES, entryChangeCodes, layerFiles, mergeLayers } from '../../../src/analysis/index.js';
import { PAGE_CHANGES, type LayerContents } from '../../../src/model/index.js';
import { layer } from '../../helpers/layer-contents.js';

function changes(contents: LayerContents[]): string[][] {
  const { fates } = mergeLayers(contents);
  const codes = entryChangeCodes({ contents, fates });
  return contents.map((_, index) =>
    [...layerFiles({ contents }, index, codes[index] ?? new Uint8Array(0))].map(
      (file) => `${file.change} ${file.path}`,
    ),
  );
}

describe('entryChangeCodes', () => {
  it('marks what each entry did to the layers below it, worked by hand', () => {
    const contents = [
      layer(
        ['dir', '/etc'],
        ['file', '/etc/a', 10, 'h1'],
        ['file', '/etc/b', 5, 'h2'],
        ['symlink', '/l', '/etc/a'],
      ),
      // same bytes, other mode: metadata only; new content: modified; a new file; same directory
      layer(
        ['dir', '/etc'],
        ['file', '/etc/a', 10, 'h1', 0o600],
        ['file', '/etc/b', 6, 'h3'],
        ['file', '/etc/c', 1],
      ),
      // a whiteout removes; a path written twice in one layer is one change; a new directory
      layer(
        ['whiteout', '/etc/c'],
        ['file', '/etc/a', 3, 'h4'],
        ['file', '/etc/a', 4, 'h5'],
        ['dir', '/opt'],
      ),
      // written again after being deleted: added, not modified
      layer(['file', '/etc/c', 2]),
    ];
    expect(changes(contents)).toEqual([
      ['added /etc', 'added /etc/a', 'added /etc/b', 'added /l'],
      ['unchanged /etc', 'metadata-only /etc/a', 'modified /etc/b', 'added /etc/c'],
      ['removed /etc/c', 'modified /etc/a', 'modified /etc/a', 'added /opt'],
      ['added /etc/c'],
    ]);
  });

  it('treats a path written twice by the layer that created it as added', () => {
    expect(changes([layer(['file', '/x', 1, 'a'], ['file', '/x', 2, 'b'])])).toEqual([
      ['added /x', 'added /x'],
    ]);
  });

  it('lists every field of an entry', () => {
    const contents = [layer(['symlink', '/bin/sh', 'dash'])];
    const { fates } = mergeLayers(contents);
    const codes = entryChangeCodes({ contents, fates });
    expect([...layerFiles({ contents }, 0, codes[0] ?? new Uint8Array(0))]).toEqual([
      {
        path: '/bin/sh',
        type: 'symlink',
        size: 0,
        mode: 0o755,
        uid: 0,
        gid: 0,
        linkTarget: 'dash',
        change: 'added',
      },
    ]);
    expect(ENTRY_CHANGES).toEqual(['added', 'modified', 'metadata-only', 'removed', 'unchanged']);
    // The page decodes the same codes.
    expect(PAGE_CHANGES).toEqual(ENTRY_CHANGES);
  });
});
