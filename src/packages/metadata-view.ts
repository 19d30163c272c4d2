import { TYPE_CODE, type FileList, type FilePeek, type LayerContents } from '../model/index.js';

/** One layer's version of a metadata file. */
export interface MetadataWrite {
  layer: number;
  body: Buffer;
}

interface Deletion {
  layer: number;
  /** The deleted path, or the directory an opaque marker emptied. */
  path: string;
  opaque: boolean;
}

/**
 * The package metadata the reader kept, joined after the pass: each file's body in the final
 * filesystem, and the versions of it the layers wrote since it was last deleted (to tell which
 * layer installed a package and which later ones changed it).
 */
export class MetadataView {
  readonly #writes = new Map<string, MetadataWrite[]>();
  readonly #deletions: Deletion[] = [];
  #finalPaths: readonly string[] | undefined;
  /** What a lookup in the final filesystem gives (one object for every lookup). */
  readonly #peeked: FilePeek = { type: 'other', size: 0, linkTarget: null, layerIndex: 0 };

  constructor(
    contents: readonly LayerContents[],
    private readonly finalFiles: FileList,
  ) {
    contents.forEach((layer, index) => {
      const { entries } = layer;
      for (const [entry, body] of entries.packageMetadata()) {
        const path = entries.path(entry);
        const writes = this.#writes.get(path) ?? [];
        // A layer that wrote a path twice left the last one.
        if (writes.at(-1)?.layer === index) writes.pop();
        writes.push({ layer: index, body });
        this.#writes.set(path, writes);
      }
    });
    if (this.#writes.size === 0) return;
    contents.forEach((layer, index) => {
      const { entries } = layer;
      // The type codes, not a call per entry: this looks at every entry of the image.
      const types = entries.typeCodes();
      for (let entry = 0; entry < types.length; entry++) {
        const type = types[entry];
        if (type === TYPE_CODE.whiteout || type === TYPE_CODE.opaque)
          this.#deletions.push({
            layer: index,
            path: entries.path(entry),
            opaque: type === TYPE_CODE.opaque,
          });
      }
    });
  }

  /** Kept metadata files present in the final filesystem, in path order (found once: several readers ask). */
  finalPaths(): readonly string[] {
    return (this.#finalPaths ??= [...this.#writes.keys()]
      .filter((path) => this.finalBody(path) !== undefined)
      .sort());
  }

  /** The body of `path` in the final filesystem; undefined where it is absent or was not kept. */
  finalBody(path: string): Buffer | undefined {
    const file = this.#peeked;
    if (!this.finalFiles.peek(path, file) || file.type !== 'file') return undefined;
    const layer = file.layerIndex;
    return this.#writes.get(path)?.find((write) => write.layer === layer)?.body;
  }

  /** The writes of `path` that lead to the final filesystem (none before its last deletion), oldest first. */
  history(path: string): MetadataWrite[] {
    const file = this.finalFiles.get(path);
    if (file?.type !== 'file') return [];
    let deleted = -1;
    for (const deletion of this.#deletions) {
      if (deletion.layer > file.layerIndex || deletion.layer <= deleted) continue;
      const covers = deletion.opaque
        ? path.startsWith(`${deletion.path === '/' ? '' : deletion.path}/`)
        : path === deletion.path || path.startsWith(`${deletion.path}/`);
      if (covers) deleted = deletion.layer;
    }
    // A marker hides the layers below it only: what its own layer wrote stays.
    return (this.#writes.get(path) ?? []).filter(
      (write) => write.layer >= deleted && write.layer <= file.layerIndex,
    );
  }
}

/**
 * For a package in the final image: the first layer of the run of snapshots that list it up to
 * the last one, and the later snapshots where its version changed. `snapshots` are oldest first;
 * the last is the final filesystem's.
 */
export function installHistory(
  snapshots: readonly { layer: number; versions: ReadonlyMap<string, string> }[],
  key: string,
): { layerIndex: number | null; changedInLayers: number[] } {
  let first = snapshots.length;
  while (first > 0 && snapshots[first - 1]?.versions.has(key) === true) first--;
  const run = snapshots.slice(first);
  const changedInLayers: number[] = [];
  for (let index = 1; index < run.length; index++) {
    if (run[index]?.versions.get(key) !== run[index - 1]?.versions.get(key))
      changedInLayers.push(run[index]?.layer ?? 0);
  }
  return { layerIndex: run[0]?.layer ?? null, changedInLayers };
}
