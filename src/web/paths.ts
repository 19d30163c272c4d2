import type { PagePaths } from '../model/page-data.js';

/** The page's path tree, decoded: full paths on demand and each node's children. */
export class PathIndex {
  readonly #children: number[][];
  readonly #full: (string | undefined)[];

  constructor(private readonly paths: PagePaths) {
    this.#children = paths.parent.map(() => []);
    this.#full = new Array<string | undefined>(paths.parent.length);
    paths.parent.forEach((parent, node) => {
      if (parent >= 0) this.#children[parent]?.push(node);
    });
  }

  get size(): number {
    return this.paths.parent.length;
  }

  name(node: number): string {
    return this.paths.names[this.paths.name[node] ?? 0] ?? '';
  }

  parent(node: number): number {
    return this.paths.parent[node] ?? -1;
  }

  children(node: number): readonly number[] {
    return this.#children[node] ?? [];
  }

  path(node: number): string {
    const known = this.#full[node];
    if (known !== undefined) return known;
    const parent = this.parent(node);
    const full =
      parent < 0 ? '/' : parent === 0 ? `/${this.name(node)}` : `${this.path(parent)}/${this.name(node)}`;
    this.#full[node] = full;
    return full;
  }

  /** The node of a path, or -1. */
  find(path: string): number {
    let node = 0;
    for (const segment of path.split('/').filter(Boolean)) {
      const next = this.children(node).find((child) => this.name(child) === segment);
      if (next === undefined) return -1;
      node = next;
    }
    return node;
  }

  /** The node and its ancestors, root last. */
  ancestors(node: number): number[] {
    const chain: number[] = [];
    for (let at = node; at >= 0; at = this.parent(at)) chain.push(at);
    return chain;
  }
}
