import type { Analysis, EntryChange, LayerFile } from '../model/index.js';

/** Change kinds by code: one byte per entry. */
export const ENTRY_CHANGES: readonly EntryChange[] = [
  'added',
  'modified',
  'metadata-only',
  'removed',
  'unchanged',
];
const ADDED = 0;
const MODIFIED = 1;
const METADATA_ONLY = 2;
const REMOVED = 3;
const UNCHANGED = 4;

/**
 * What each entry of each layer did to the layers below it, as codes into ENTRY_CHANGES.
 * Files and links come from the merge's fates: an entry that took the path of an earlier one
 * modified it (or, with the same bytes, changed only its metadata); any other is an addition.
 * Whiteouts and opaque markers remove. A directory is unchanged when an earlier layer held that
 * path (as a directory or as a parent of an entry), else added.
 */
export function entryChangeCodes(analysis: Pick<Analysis, 'contents' | 'fates'>): Uint8Array[] {
  const codes = analysis.contents.map((layer) => new Uint8Array(layer.entries.length));
  const directoriesBelow = new Set<string>();
  analysis.contents.forEach((layer, layerIndex) => {
    const table = layer.entries;
    const layerCodes = codes[layerIndex] ?? new Uint8Array(0);
    const directoriesHere: string[] = [];
    for (let index = 0; index < table.length; index++) {
      const type = table.type(index);
      if (type === 'whiteout' || type === 'opaque') {
        layerCodes[index] = REMOVED;
        continue;
      }
      const path = table.path(index);
      directoriesHere.push(type === 'directory' ? path : parentOf(path));
      if (type === 'directory') {
        layerCodes[index] = directoriesBelow.has(path) ? UNCHANGED : ADDED;
        continue;
      }
      const fate = analysis.fates.of({ layer: layerIndex, index });
      if ((fate.kind !== 'replaced' && fate.kind !== 'rewritten') || fate.replacement === null) continue;
      const { layer, index: replacementIndex } = fate.replacement;
      const target = codes[layer];
      if (target === undefined) continue;
      // Replaced within its own layer: the later entry does to the layers below what this one did.
      const own = layerCodes[index] ?? ADDED;
      if (layer === layerIndex) target[replacementIndex] = own === ADDED ? ADDED : MODIFIED;
      else target[replacementIndex] = fate.kind === 'rewritten' ? METADATA_ONLY : MODIFIED;
    }
    for (const directory of directoriesHere) addWithParents(directoriesBelow, directory);
  });
  return codes;
}

/** Layer `layerIndex`'s entries in tar order, each with what it changed. */
export function* layerFiles(
  analysis: Pick<Analysis, 'contents'>,
  layerIndex: number,
  codes: Uint8Array,
): Generator<LayerFile> {
  const table = analysis.contents[layerIndex]?.entries;
  if (table === undefined) return;
  for (let index = 0; index < table.length; index++) {
    yield {
      path: table.path(index),
      type: table.type(index),
      size: table.size(index),
      mode: table.mode(index),
      uid: table.uid(index),
      gid: table.gid(index),
      linkTarget: table.linkTarget(index) ?? null,
      change: ENTRY_CHANGES[codes[index] ?? ADDED] ?? 'added',
    };
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** Adds a directory and every directory above it; stops at the first one already known. */
function addWithParents(directories: Set<string>, directory: string): void {
  let path = directory;
  while (!directories.has(path)) {
    directories.add(path);
    if (path === '/') return;
    path = parentOf(path);
  }
}
