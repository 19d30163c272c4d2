import { hierarchy, treemap, treemapSquarify, type HierarchyRectangularNode } from 'd3-hierarchy';
import { formatBytes } from '../render/format.js';
import { clear, el } from './dom.js';
import type { PathIndex } from './paths.js';

/** A directory or file of a treemap: its bytes and a number that picks its colour. */
export interface SizeNode {
  node: number;
  name: string;
  /** A file's bytes; a directory's total once `sizeTree` has summed it. */
  size: number;
  /** For files: the colour key (the layer, or the sign of a change). */
  key: number;
  children: SizeNode[] | null;
}

/** Builds the directory tree of a set of files (node, bytes, colour key) and sums directory sizes. */
export function sizeTree(paths: PathIndex, nodes: number[], sizes: number[], keys: number[]): SizeNode {
  const byNode = new Map<number, SizeNode>();
  const root: SizeNode = { node: 0, name: '/', size: 0, key: 0, children: [] };
  byNode.set(0, root);
  const directory = (node: number): SizeNode => {
    const known = byNode.get(node);
    if (known !== undefined) {
      known.children ??= [];
      return known;
    }
    const created: SizeNode = { node, name: paths.name(node), size: 0, key: 0, children: [] };
    byNode.set(node, created);
    directory(paths.parent(node)).children?.push(created);
    return created;
  };
  nodes.forEach((node, index) => {
    const size = sizes[index] ?? 0;
    const key = keys[index] ?? 0;
    const known = byNode.get(node);
    // The same path twice (a hidden path written by several layers): one tile, bytes added.
    if (known !== undefined && known.children === null) {
      known.size += size;
      return;
    }
    const file: SizeNode = { node, name: paths.name(node), size, key, children: null };
    byNode.set(node, file);
    directory(paths.parent(node)).children?.push(file);
  });
  sum(root);
  return root;
}

function sum(node: SizeNode): number {
  if (node.children === null) return node.size;
  node.size = node.children.reduce((total, child) => total + sum(child), 0);
  return node.size;
}

export interface TreemapStyle {
  /** Background colour of a file tile (or of a directory, from its dominant key). */
  color(key: number): string;
  /** What a tile says besides its path and size (e.g. "layer 3", "+1.2 MB"). */
  describe(node: SizeNode): string;
  /** The key of a directory (e.g. the layer that holds most of its bytes). */
  directoryKey(node: SizeNode): number;
}

/**
 * A zoomable treemap drawn as positioned boxes, two levels at a time (Bostock's zoomable
 * treemap): a directory's children, each with its own children inside. Clicking (or Enter on)
 * a directory zooms into it; the breadcrumb zooms out. Every tile says its path, size and key
 * in its label and title, so colour is never the only carrier of meaning.
 */
export class Treemap {
  readonly element: HTMLElement;
  readonly #crumbs: HTMLElement;
  readonly #area: HTMLElement;
  #current: SizeNode;

  constructor(
    private readonly root: SizeNode,
    private readonly paths: PathIndex,
    private readonly style: TreemapStyle,
    label: string,
  ) {
    this.#current = root;
    this.#crumbs = el('nav', { class: 'crumbs', 'aria-label': `${label}: path` });
    this.#area = el('div', { class: 'treemap', role: 'group', 'aria-label': label });
    this.element = el('div', { class: 'treemap-box' }, this.#crumbs, this.#area);
  }

  /** Draws the current directory at the element's width. */
  render(): void {
    const width = Math.max(320, this.#area.clientWidth || 960);
    const height = 420;
    this.#renderCrumbs();
    clear(this.#area);
    if (this.#current.size === 0) {
      this.#area.append(el('p', { class: 'empty' }, 'No bytes here.'));
      return;
    }
    const layout = treemap<SizeNode>()
      .tile(treemapSquarify)
      .size([width, height])
      .paddingOuter(2)
      .paddingTop((node) => (node.depth === 1 ? 16 : 2))
      .paddingInner(1)
      .round(true);
    // Only two levels are drawn: deeper directories are laid out as single tiles of their total,
    // so a 100,000-file tree costs the layout of what is on screen.
    const current = this.#current;
    const shown = new Set(current.children ?? []);
    const leaf = (node: SizeNode): boolean =>
      node.children === null || (node !== current && !shown.has(node));
    const rooted = hierarchy(current, (node) => (leaf(node) ? null : node.children))
      .sum((node) => (leaf(node) ? node.size : 0))
      .sort((a, b) => b.height - a.height || (b.value ?? 0) - (a.value ?? 0));
    const laid = layout(rooted);
    for (const tile of laid.descendants()) {
      if (tile.depth === 0 || tile.depth > 2) continue;
      const width = tile.x1 - tile.x0;
      const height = tile.y1 - tile.y0;
      if (width < 1 || height < 1) continue;
      this.#area.append(this.#tile(tile, width, height));
    }
  }

  /** Zooms to a directory (by node), where the tree has it. */
  zoomTo(node: number): boolean {
    const chain = this.paths.ancestors(node).reverse();
    let at = this.root;
    for (const step of chain.slice(1)) {
      const next = at.children?.find((child) => child.node === step);
      if (next === undefined || next.children === null) break;
      at = next;
    }
    this.#current = at;
    this.render();
    return at.node === node;
  }

  #tile(tile: HierarchyRectangularNode<SizeNode>, width: number, height: number): HTMLElement {
    const data = tile.data;
    const isDirectory = data.children !== null;
    const path = this.paths.path(data.node);
    const detail = this.style.describe(data);
    const text = `${path} — ${formatBytes(data.size)}${detail === '' ? '' : ` — ${detail}`}`;
    const key = isDirectory ? this.style.directoryKey(data) : data.key;
    const zoomable = tile.depth === 1 && isDirectory && (data.children?.length ?? 0) > 0;
    const box = el(zoomable ? 'button' : 'div', {
      class: `tile depth${tile.depth}${isDirectory ? ' dir' : ''}`,
      title: text,
      'data-path': path,
      'data-bytes': String(data.size),
      ...(zoomable ? { 'aria-label': `Zoom into ${text}` } : { role: 'img', 'aria-label': text }),
    });
    box.style.left = `${tile.x0}px`;
    box.style.top = `${tile.y0}px`;
    box.style.width = `${width}px`;
    box.style.height = `${height}px`;
    if (tile.depth === 2 || !isDirectory) {
      const background = this.style.color(key);
      box.style.backgroundColor = background;
      box.style.color = readableOn(background);
    }
    if (width > 40 && height > 14) {
      box.append(
        el('span', { class: 'label' }, `${data.name}${isDirectory ? '/' : ''} ${formatBytes(data.size)}`),
      );
    }
    // A directory zooms in; a file inside a directory tile zooms into that directory. Keyboard
    // users reach the same through the directory buttons (depth 1).
    const target = isDirectory ? data : tile.depth === 2 ? tile.parent?.data : undefined;
    if (target !== undefined && (zoomable || tile.depth === 2)) {
      box.addEventListener('click', () => {
        this.#current = target;
        this.render();
        this.#area.querySelector<HTMLElement>('button.tile')?.focus();
      });
    }
    return box;
  }

  #renderCrumbs(): void {
    clear(this.#crumbs);
    const chain: SizeNode[] = [];
    const find = (at: SizeNode): boolean => {
      chain.push(at);
      if (at === this.#current) return true;
      for (const child of at.children ?? []) if (child.children !== null && find(child)) return true;
      chain.pop();
      return false;
    };
    find(this.root);
    chain.forEach((step, index) => {
      const last = index === chain.length - 1;
      const name = index === 0 ? '/' : `${step.name}/`;
      if (last)
        this.#crumbs.append(el('span', { 'aria-current': 'location' }, `${name} ${formatBytes(step.size)}`));
      else {
        const button = el('button', { class: 'crumb' }, name);
        button.addEventListener('click', () => {
          this.#current = step;
          this.render();
        });
        this.#crumbs.append(button);
      }
    });
  }
}

/** The key holding most bytes below a directory (memoised per node). */
export function dominantKey(memo: Map<SizeNode, number>): (node: SizeNode) => number {
  const bytesByKey = (node: SizeNode, into: Map<number, number>): void => {
    if (node.children === null) into.set(node.key, (into.get(node.key) ?? 0) + node.size);
    else for (const child of node.children) bytesByKey(child, into);
  };
  return (node) => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    const totals = new Map<number, number>();
    bytesByKey(node, totals);
    let best = 0;
    let bestBytes = -1;
    for (const [key, bytes] of totals) {
      if (bytes > bestBytes) {
        best = key;
        bestBytes = bytes;
      }
    }
    memo.set(node, best);
    return best;
  };
}

/** Black or white, whichever reads better on a `#rrggbb` background (WCAG contrast). */
export function readableOn(background: string): string {
  const channel = (offset: number): number => {
    const value = parseInt(background.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}
