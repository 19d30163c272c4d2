import { describe, expect, it } from 'vitest';
import { mergeLayers } from '../../../src/analysis/index.js';
import { layer } from '../../helpers/layer-contents.js';
import { scenario, SCENARIO_CHANGES } from './scenario.js';

describe('mergeLayers', () => {
  const result = mergeLayers(scenario);

  it('stores every regular file body of every layer', () => {
    // 100+200+300+50+1000 in layer 0, 120+200+10 in layer 1, 5 in layer 2
    expect(result.storedBytes).toBe(1985);
  });

  it('sees only the final filesystem, counting a hard link to a deleted file once', () => {
    expect([...result.finalFiles].map((file) => [file.path, file.type, file.size])).toEqual([
      ['/bin/tool2', 'hardlink', 1000],
      ['/etc/c', 'file', 5],
      ['/new', 'file', 10],
    ]);
    expect(result.visibleBytes).toBe(1015);
    expect(result.reclaimableBytes).toBe(970);
  });

  it('finds each final file by search as by map, among more directories than files', () => {
    // Twenty files among forty directories: a first lookup of each, on a merge of its own, is a
    // binary search of the final files' paths; later ones go through the map.
    const specs = Array.from({ length: 20 }, (_, at): ['dir', string][] => [
      ['dir', `/d${at}`],
      ['dir', `/d${at}/e`],
    ]).flat();
    const files = Array.from({ length: 20 }, (_, at): ['file', string, number] => ['file', `/d${at}/f`, at]);
    const contents = [layer(...specs, ...files)];
    for (const [, path, size] of files) {
      const merged = mergeLayers(contents).finalFiles;
      expect([merged.get(path)?.size, merged.has(`${path}x`), merged.isDirectory(`${path}`)]).toEqual([
        size,
        false,
        false,
      ]);
    }
    const merged = mergeLayers(contents).finalFiles;
    expect(files.map(([, path]) => merged.has(path))).toEqual(files.map(() => true));
    expect(specs.map(([, path]) => merged.isDirectory(path))).toEqual(specs.map(() => true));
    expect(merged.length).toBe(20);
  });

  it('peeks at the type, size, link target and layer of a path as get gives them, without a file object', () => {
    const merged = mergeLayers([
      layer(['file', '/a', 7], ['symlink', '/l', '/a'], ['dir', '/d']),
      layer(['file', '/d/f', 3]),
    ]);
    const into = { type: 'other' as const, size: -1, linkTarget: 'unchanged', layerIndex: -1 };
    for (const path of ['/a', '/l', '/d/f']) {
      const file = merged.finalFiles.get(path)!;
      expect(merged.finalFiles.peek(path, into)).toBe(true);
      expect(into).toEqual({
        type: file.type,
        size: file.size,
        linkTarget: file.linkTarget,
        layerIndex: file.layerIndex,
      });
    }
    expect(into).toEqual({ type: 'file', size: 3, linkTarget: null, layerIndex: 1 });
    // A hard link weighs its file's bytes and names it, as get says.
    const tool = result.finalFiles.get('/bin/tool2')!;
    expect(result.finalFiles.peek('/bin/tool2', into)).toBe(true);
    expect(into).toEqual({
      type: 'hardlink',
      size: 1000,
      linkTarget: tool.linkTarget,
      layerIndex: tool.layerIndex,
    });
    // A directory or an absent path is not a file: nothing is written.
    for (const path of ['/d', '/absent']) {
      expect(merged.finalFiles.peek(path, into)).toBe(false);
      expect(into.size).toBe(1000);
    }
  });

  it('reports what each layer added, modified and removed', () => {
    expect(result.layerChanges).toEqual(SCENARIO_CHANGES);
  });

  it('lets an opaque directory hide only the layers below, not its own layer', () => {
    const merged = mergeLayers([
      layer(['file', '/d/old', 7]),
      layer(['file', '/d/new', 3], ['opaque', '/d']),
    ]);
    expect([...merged.finalFiles].map((file) => file.path)).toEqual(['/d/new']);
    expect(merged.reclaimableBytes).toBe(7);
  });

  it('replaces a directory by a file, and a file by a directory', () => {
    const merged = mergeLayers([
      layer(['file', '/x/inner', 40], ['file', '/y', 9]),
      layer(['file', '/x', 4], ['file', '/y/z', 2]),
    ]);
    expect([...merged.finalFiles].map((file) => [file.path, file.size])).toEqual([
      ['/x', 4],
      ['/y/z', 2],
    ]);
    expect(merged.layerChanges[1]).toMatchObject({
      addedFiles: 2,
      addedBytes: 6,
      removedFiles: 2,
      removedBytes: 49,
    });
  });

  it('counts a symlink re-added with the same target as metadata-only', () => {
    const merged = mergeLayers([
      layer(['symlink', '/l', 'a']),
      layer(['symlink', '/l', 'a']),
      layer(['symlink', '/l', 'b']),
    ]);
    expect(merged.layerChanges[1]).toMatchObject({ modifiedFiles: 1, metadataOnlyFiles: 1 });
    expect(merged.layerChanges[2]).toMatchObject({ modifiedFiles: 1, metadataOnlyFiles: 0 });
  });

  it('treats a path written twice by one layer as one addition', () => {
    const merged = mergeLayers([layer(['file', '/f', 5, 'one'], ['file', '/f', 8, 'two'])]);
    expect(merged.layerChanges[0]).toMatchObject({ addedFiles: 1, modifiedFiles: 0 });
    expect([...merged.finalFiles]).toMatchObject([{ path: '/f', size: 8, contentHash: 'two' }]);
    expect(merged.reclaimableBytes).toBe(5);
  });
});
