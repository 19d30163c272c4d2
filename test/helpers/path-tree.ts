/** Shared by every leaf, so sorting a leaf's children allocates nothing. */
const NO_CHILDREN: readonly PathNode<never>[] = [];

/**
 * A filesystem-shaped tree keyed by path components. Children maps are created lazily: most
 * nodes are leaves, and an image can hold a million of them.
 */
export class PathNode<T> {
  children: Map<string, PathNode<T>> | null = null;

  constructor(
    readonly name: string,
    readonly parent: PathNode<T> | null,
    public data: T,
  ) {}

  child(name: string): PathNode<T> | undefined {
    return this.children?.get(name);
  }

  addChild(name: string, data: T): PathNode<T> {
    const node = new PathNode(name, this, data);
    (this.children ??= new Map()).set(name, node);
    return node;
  }

  /** The node at an absolute path below this one (the root), if there is one. */
  find(path: string): PathNode<T> | undefined {
    return pathComponents(path).reduce<PathNode<T> | undefined>((node, name) => node?.child(name), this);
  }

  /** Detaches this node (and so its subtree) from its parent. */
  detach(): void {
    this.parent?.children?.delete(this.name);
  }

  isLeaf(): boolean {
    return this.children === null || this.children.size === 0;
  }

  path(): string {
    const parts: string[] = [];
    for (let node = this.parent === null ? null : (this as PathNode<T>); node?.parent; node = node.parent) {
      parts.push(node.name);
    }
    return '/' + parts.reverse().join('/');
  }

  /** Children in byte order of their names, as Go's sort.Strings orders them. */
  sortedChildren(): readonly PathNode<T>[] {
    if (this.children === null || this.children.size === 0) return NO_CHILDREN;
    return [...this.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Visits every node below this one, children before their parent, siblings sorted (dive's
   * VisitDepthChildFirst). Iterative, so 10,000-deep trees do not overflow the stack; a visit
   * that returns false stops the walk.
   */
  visitChildFirst(visit: (node: PathNode<T>) => boolean | void): boolean {
    const stack: { node: PathNode<T>; children: readonly PathNode<T>[]; next: number }[] = [
      { node: this, children: this.sortedChildren(), next: 0 },
    ];
    for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
      const child = top.children[top.next++];
      if (child !== undefined) {
        stack.push({ node: child, children: child.sortedChildren(), next: 0 });
        continue;
      }
      stack.pop();
      if (top.node !== this && visit(top.node) === false) return false;
    }
    return true;
  }

  /**
   * Every node below this one, in no particular order, each cut from the tree as it is yielded:
   * for a last pass over a large tree, whose memory is released as the walk goes.
   */
  *drain(): Generator<PathNode<T>> {
    const stack: PathNode<T>[] = this.children ? [...this.children.values()] : [];
    this.children = null;
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (node.children) for (const child of node.children.values()) stack.push(child);
      node.children = null;
      yield node;
    }
  }

  /** Every node below this one, in no particular order, without recursion (trees can be deep). */
  *descendants(): Generator<PathNode<T>> {
    const stack: PathNode<T>[] = this.children ? [...this.children.values()] : [];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      yield node;
      if (node.children) for (const child of node.children.values()) stack.push(child);
    }
  }
}

/** "/a/b/c" -> ["a", "b", "c"]; paths are already normalised by the layer reader. */
export function pathComponents(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}
