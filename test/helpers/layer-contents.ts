import { buildAnalysis } from '../../src/analysis/index.js';
import { EntryTable, type Analysis, type LayerContents, type LayerEntry } from '../../src/model/index.js';

type Spec =
  | ['dir', string]
  | ['file', string, number, string?, number?]
  | ['symlink', string, string]
  | ['hardlink', string, string, string?]
  | ['whiteout', string]
  | ['opaque', string];

/** Layer contents as the reader would produce them, written tersely: ['file', path, size, hash, mode]. */
export function layer(...specs: Spec[]): LayerContents {
  const entries = specs.map((spec): LayerEntry => {
    const base = { path: spec[1], size: 0, mode: 0o755, uid: 0, gid: 0 };
    switch (spec[0]) {
      case 'dir':
        return { ...base, type: 'directory' };
      case 'file':
        return {
          ...base,
          type: 'file',
          size: spec[2],
          contentHash: spec[3] ?? `hash-of-${spec[1]}`,
          mode: spec[4] ?? 0o644,
        };
      case 'symlink':
        return { ...base, type: 'symlink', linkTarget: spec[2] };
      case 'hardlink':
        return spec[3] === undefined
          ? { ...base, type: 'hardlink', linkTarget: spec[2] }
          : { ...base, type: 'hardlink', linkTarget: spec[2], contentHash: spec[3] };
      case 'whiteout':
        return { ...base, type: 'whiteout' };
      case 'opaque':
        return { ...base, type: 'opaque' };
    }
  });
  return contentsOf(entries);
}

/** Layer contents holding `entries`, its tar size their sizes' sum (an uncompressed layer). */
export function contentsOf(entries: LayerEntry[]): LayerContents {
  return {
    entries: EntryTable.from(entries),
    tarSizeBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
    uncompressedBytes: 0,
    storedBytes: 0,
    compression: 'none',
    warnings: [],
    contentKeyId: 'test',
  };
}

/** The analysis of a docker-archive of `contents`, with `history` as its layers' commands (none by default). */
export function analysisOfLayers(contents: LayerContents[], history: string[] = []): Analysis {
  return buildAnalysis({
    image: { reference: 'x', source: 'docker-archive', digest: null, id: null, platform: null, user: '' },
    config: history.length === 0 ? {} : { history: history.map((createdBy) => ({ created_by: createdBy })) },
    layers: contents.map(() => ({ diffId: null, digest: null })),
    contents,
  });
}
