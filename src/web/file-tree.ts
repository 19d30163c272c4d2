import { PAGE_CHANGES, PAGE_ENTRY_TYPES, type AnalysisPageData } from '../model/page-data.js';
import type { PathIndex } from './paths.js';

export type Change = (typeof PAGE_CHANGES)[number];
export type EntryType = (typeof PAGE_ENTRY_TYPES)[number];

/** A path shown in the explorer: what holds it in the view, and what the chosen layer did to it. */
export interface ShownEntry {
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  link: string | null;
  /** Layer whose entry this is. */
  layer: number;
  change: Change;
}

/** A view of the filesystem: entries by node, with directories implied by their contents. */
export interface FileView {
  entries: Map<number, ShownEntry>;
  /** Directory totals: bytes of the files below each directory node in the view. */
  totals: Map<number, number>;
  /** Nodes to show under each directory node (entries and implied directories). */
  children: Map<number, number[]>;
}

const REMOVED_CODE = PAGE_CHANGES.indexOf('removed');
const UNCHANGED: Change = 'unchanged';

/** Per layer: entry index -> link target. */
const linkMaps = new WeakMap<AnalysisPageData, Map<number, string>[]>();

function linkOf(data: AnalysisPageData, layer: number, index: number): string | null {
  let maps = linkMaps.get(data);
  if (maps === undefined) {
    maps = data.entries.map((columns) => {
      const map = new Map<number, string>();
      for (let at = 0; at + 1 < columns.links.length; at += 2) {
        map.set(columns.links[at] ?? 0, data.links[columns.links[at + 1] ?? 0] ?? '');
      }
      return map;
    });
    linkMaps.set(data, maps);
  }
  return maps[layer]?.get(index) ?? null;
}

function shown(data: AnalysisPageData, layer: number, index: number, change: Change): ShownEntry {
  const columns = data.entries[layer];
  const [mode, uid, gid] = data.owners[columns?.owner[index] ?? 0] ?? [0, 0, 0];
  return {
    type: PAGE_ENTRY_TYPES[columns?.type[index] ?? 0] ?? 'other',
    size: columns?.size[index] ?? 0,
    mode,
    uid,
    gid,
    link: linkOf(data, layer, index),
    layer,
    change,
  };
}

/** What layer `layer` alone wrote, each entry marked with its change. */
export function layerView(data: AnalysisPageData, paths: PathIndex, layer: number): FileView {
  const entries = new Map<number, ShownEntry>();
  const columns = data.entries[layer];
  if (columns !== undefined) {
    columns.node.forEach((node, index) => {
      const code = columns.change[index] ?? 0;
      const entry = shown(data, layer, index, PAGE_CHANGES[code] ?? 'added');
      // A whiteout shows as the path it removed.
      if (code === REMOVED_CODE) entry.type = entry.type === 'opaque' ? 'directory' : 'file';
      entries.set(node, entry);
    });
  }
  return finishView(entries, paths);
}

/**
 * The filesystem as it stands after layer `layer` (layers 0..layer stacked, whiteouts and
 * opaque directories applied), with the chosen layer's changes marked and what it removed
 * still listed, marked removed. Earlier layers' entries read "unchanged".
 */
export function stackedView(data: AnalysisPageData, paths: PathIndex, layer: number): FileView {
  const entries = new Map<number, ShownEntry>();
  for (let at = 0; at <= layer; at++) {
    const columns = data.entries[at];
    if (columns === undefined) continue;
    columns.node.forEach((node, index) => {
      const type = PAGE_ENTRY_TYPES[columns.type[index] ?? 0];
      if (type === 'whiteout') {
        const removed = entries.get(node);
        removeBelow(entries, paths, node, true);
        if (at === layer && removed !== undefined) entries.set(node, { ...removed, change: 'removed' });
      } else if (type === 'opaque') {
        removeBelow(entries, paths, node, false, at);
      } else {
        const change = at === layer ? (PAGE_CHANGES[columns.change[index] ?? 0] ?? 'added') : UNCHANGED;
        entries.set(node, shown(data, at, index, change));
      }
    });
  }
  return finishView(entries, paths);
}

/** Deletes a node's descendants (and the node itself when `self`) written below layer `below`. */
function removeBelow(
  entries: Map<number, ShownEntry>,
  paths: PathIndex,
  node: number,
  self: boolean,
  below = Infinity,
): void {
  if (self) entries.delete(node);
  const stack = [...paths.children(node)];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const entry = entries.get(next);
    if (entry !== undefined && entry.layer < below) entries.delete(next);
    stack.push(...paths.children(next));
  }
}

function finishView(entries: Map<number, ShownEntry>, paths: PathIndex): FileView {
  const children = new Map<number, number[]>([[0, []]]);
  const totals = new Map<number, number>([[0, 0]]);
  const listed = new Set<number>([0]);
  for (const [node, entry] of entries) {
    // Link the entry and the directories above it into the tree, each once.
    for (let child = node; !listed.has(child); child = paths.parent(child)) {
      listed.add(child);
      const parent = paths.parent(child);
      const list = children.get(parent);
      if (list === undefined) children.set(parent, [child]);
      else list.push(child);
    }
    const bytes = entry.type === 'file' && entry.change !== 'removed' ? entry.size : 0;
    for (let up = paths.parent(node); up >= 0; up = paths.parent(up))
      totals.set(up, (totals.get(up) ?? 0) + bytes);
  }
  return { entries, totals, children };
}

/** A glob (`*`, `?`, `**`, `[...]`) or a plain substring, as a test on full paths. */
export function pathMatcher(query: string): (path: string) => boolean {
  const trimmed = query.trim();
  if (trimmed === '') return () => false;
  if (!/[*?[]/.test(trimmed)) {
    const needle = trimmed.toLowerCase();
    return (path) => path.toLowerCase().includes(needle);
  }
  let source = '';
  for (let i = 0; i < trimmed.length; i++) {
    const char = trimmed[i] ?? '';
    if (char === '*') {
      const double = trimmed[i + 1] === '*';
      source += double ? '.*' : '[^/]*';
      if (double) i++;
    } else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = trimmed.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${trimmed.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // A glob without a leading slash matches anywhere below the root, as in .gitignore.
  const pattern = new RegExp(trimmed.startsWith('/') ? `^${source}$` : `(^|/)${source}$`, 'i');
  return (path) => pattern.test(path);
}

/** Paths of a view that match, file-name matches first, then by size. */
export function searchView(view: FileView, paths: PathIndex, query: string, limit: number): number[] {
  const matches = pathMatcher(query);
  const needle = query.trim().toLowerCase();
  const found: { node: number; nameHit: boolean; size: number }[] = [];
  for (const [node, entry] of view.entries) {
    const path = paths.path(node);
    if (!matches(path)) continue;
    found.push({
      node,
      nameHit: paths.name(node).toLowerCase().includes(needle),
      size: entry.type === 'directory' ? (view.totals.get(node) ?? 0) : entry.size,
    });
  }
  found.sort((a, b) => Number(b.nameHit) - Number(a.nameHit) || b.size - a.size || a.node - b.node);
  return found.slice(0, limit).map((match) => match.node);
}

/** The final filesystem's regular files: node, bytes and the layer that wrote them. */
export function finalFiles(view: FileView): { node: number[]; size: number[]; layer: number[] } {
  const files = { node: [] as number[], size: [] as number[], layer: [] as number[] };
  for (const [node, entry] of view.entries) {
    if (entry.type !== 'file' || entry.change === 'removed') continue;
    files.node.push(node);
    files.size.push(entry.size);
    files.layer.push(entry.layer);
  }
  return files;
}
