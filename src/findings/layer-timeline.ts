import type { Analysis, LayerEntry } from '../model/index.js';

/** Where one stored entry ended up: still visible, or hidden by a later layer (or its own). */
export type Fate =
  | { kind: 'visible' }
  /** A whiteout or opaque directory removed it. */
  | { kind: 'deleted'; by: number }
  /** Another entry took its path: different content, or a directory in its place. */
  | { kind: 'replaced'; by: number; replacement: TrackedEntry | null }
  /** The same bytes written again (same content hash): only metadata changed. */
  | { kind: 'rewritten'; by: number; replacement: TrackedEntry };

/** A non-directory entry of a layer, with what happened to it in the layers above. */
export interface TrackedEntry {
  layer: number;
  /** Index in `analysis.contents[layer].entries`: with the layer, the entry's identity. */
  index: number;
  entry: LayerEntry;
  fate: Fate;
}

export interface Timeline {
  /** Every file, link and special entry of every layer, in layer then tar order. */
  entries: TrackedEntry[];
  /** Those still visible in the final filesystem. */
  visible: TrackedEntry[];
}

interface Node {
  children: Map<string, Node> | null;
  /** The non-directory entry at this path, if the path is not a directory. */
  occupant: TrackedEntry | null;
}

const timelines = new WeakMap<Analysis, Timeline>();

/**
 * Replays the layers (OCI changeset rules, as `mergeLayers` applies them) keeping the identity of
 * every entry, so rules can say "written by layer 3, deleted by layer 5" and claim those exact
 * bytes. Computed once per analysis and shared by the rules that need it.
 */
export function timelineOf(analysis: Analysis): Timeline {
  const cached = timelines.get(analysis);
  if (cached !== undefined) return cached;
  const timeline = replay(analysis.contents.map((layer) => layer.entries));
  timelines.set(analysis, timeline);
  return timeline;
}

function replay(layers: LayerEntry[][]): Timeline {
  const root: Node = { children: null, occupant: null };
  const entries: TrackedEntry[] = [];

  layers.forEach((layerEntries, layer) => {
    const hide = (node: Node, includeSelf: boolean, kind: 'deleted' | 'replaced'): void => {
      const stack: Node[] = includeSelf ? [node] : [...(node.children?.values() ?? [])];
      for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
        if (next.occupant !== null) {
          next.occupant.fate =
            kind === 'deleted' ? { kind, by: layer } : { kind, by: layer, replacement: null };
          next.occupant = null;
        }
        if (next.children !== null) stack.push(...next.children.values());
      }
    };

    // Markers hide what the layers below hold, never what this layer adds: they go first.
    for (const entry of layerEntries) {
      if (entry.type !== 'whiteout' && entry.type !== 'opaque') continue;
      const parts = components(entry.path);
      const node = find(root, parts);
      if (node === undefined) continue;
      hide(node, entry.type === 'whiteout', 'deleted');
      if (entry.type === 'whiteout') find(root, parts.slice(0, -1))?.children?.delete(parts.at(-1) ?? '');
      else node.children = null;
    }

    layerEntries.forEach((entry, index) => {
      if (entry.type === 'whiteout' || entry.type === 'opaque') return;
      const parts = components(entry.path);
      let node = root;
      for (const name of parts) {
        // A file where this entry needs a directory is replaced by that directory.
        if (node.occupant !== null) hide(node, true, 'replaced');
        node.children ??= new Map();
        let child = node.children.get(name);
        if (child === undefined) {
          child = { children: null, occupant: null };
          node.children.set(name, child);
        }
        node = child;
      }
      if (entry.type === 'directory') {
        if (node.occupant !== null) hide(node, true, 'replaced');
        return;
      }
      const tracked: TrackedEntry = { layer, index, entry, fate: { kind: 'visible' } };
      entries.push(tracked);
      if (node.children !== null) {
        hide(node, false, 'replaced');
        node.children = null;
      }
      const previous = node.occupant;
      if (previous !== null) {
        const sameBytes =
          previous.entry.type === 'file' &&
          entry.type === 'file' &&
          previous.entry.contentHash !== undefined &&
          previous.entry.contentHash === entry.contentHash;
        previous.fate = sameBytes
          ? { kind: 'rewritten', by: layer, replacement: tracked }
          : { kind: 'replaced', by: layer, replacement: tracked };
      }
      node.occupant = tracked;
    });
  });
  return { entries, visible: entries.filter((tracked) => tracked.fate.kind === 'visible') };
}

function components(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

function find(root: Node, parts: string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const name of parts) {
    node = node.children?.get(name);
    if (node === undefined) return undefined;
  }
  return node;
}

/** The identity of a stored entry, for counting its bytes once across findings (a number: fast to hash). */
export function entryKey(layer: number, index: number): number {
  return layer * 2 ** 32 + index;
}
