/** No such node (no parent, no child, no sibling). */
const NO_NODE = -1;

/**
 * Every path an analysis meets, numbered, with the tree they form. A merged filesystem or a dive
 * stack is then a few typed arrays indexed by path id, not a million node objects: 20 bytes per
 * path, and the path strings are the entries' own. The map from path to id is needed only while
 * paths are numbered: `seal` releases it (a million paths hold 40 MB there). Ids are never
 * removed; "absent" is the state arrays' business.
 */
export class PathIndex {
  #ids: Map<string, number> | null = new Map([['/', 0]]);
  readonly #paths: string[] = ['/'];
  #parents: Int32Array = new Int32Array(1024).fill(NO_NODE);
  #firstChildren: Int32Array = new Int32Array(1024).fill(NO_NODE);
  #nextSiblings: Int32Array = new Int32Array(1024).fill(NO_NODE);
  /** Every id but the root's in path order, and the tree's sibling lists in it; made on first use. */
  #sorted: { order: Int32Array; first: Int32Array; next: Int32Array } | null = null;
  /** The parent of the path numbered last ("" for the root) and its id. */
  #recentParent = '';
  #recentParentId = 0;

  /** Number of ids given out; ids run from 0 (the root, "/") to size - 1. */
  get size(): number {
    return this.#paths.length;
  }

  /** No more paths will be numbered: drops the map from path to id. */
  seal(): void {
    this.#ids = null;
  }

  /** The id of a path numbered so far (not of those added unindexed). */
  id(path: string): number | undefined {
    const ids = this.#ids;
    if (ids === null) throw new Error('PathIndex: lookup after seal');
    return ids.get(path);
  }

  /**
   * Numbers a child of `parent` that lookups will not find: for nodes the caller tracks itself
   * (one per key of its own), so a million of them do not grow the map.
   */
  addUnindexed(path: string, parent: number): number {
    return this.#add(path, parent, false);
  }

  /** The id of an absolute, normalised path, numbering it and its missing ancestors first. */
  intern(path: string): number {
    const ids = this.#ids;
    if (ids === null) throw new Error('PathIndex: intern after seal');
    const known = ids.get(path);
    if (known !== undefined) return known;
    // Tar lists a directory's entries together: most paths have the previous one's parent.
    const slash = path.lastIndexOf('/');
    if (slash === this.#recentParent.length && path.startsWith(this.#recentParent)) {
      return this.#add(path, this.#recentParentId);
    }
    // Iterative: paths can be 10,000 directories deep.
    const missing = [path];
    let current = parentPath(path);
    let parent = ids.get(current);
    while (parent === undefined) {
      missing.push(current);
      current = parentPath(current);
      parent = ids.get(current);
    }
    for (let next = missing.pop(); next !== undefined; next = missing.pop()) parent = this.#add(next, parent);
    this.#recentParent = slash === 0 ? '' : path.slice(0, slash);
    this.#recentParentId = this.parent(parent);
    return parent;
  }

  path(id: number): string {
    return this.#paths[id] ?? '';
  }

  /** The last component of the path ("" for the root). */
  name(id: number): string {
    const path = this.path(id);
    return path.slice(path.lastIndexOf('/') + 1);
  }

  parent(id: number): number {
    return this.#parents[id] ?? NO_NODE;
  }

  firstChild(id: number): number {
    return this.#firstChildren[id] ?? NO_NODE;
  }

  nextSibling(id: number): number {
    return this.#nextSiblings[id] ?? NO_NODE;
  }

  /**
   * The first child of `id` in path order (byte order of names, as Go's sort.Strings orders
   * them); with `nextSortedSibling`, every node's children in that order. Sorted once, for all
   * nodes, on first use: call it only once every path is numbered.
   */
  /**
   * Every id but the root's, in path order (byte order of the whole paths, as the reports sort
   * them). Sorted once, with the sibling lists below: call it only once every path is numbered.
   */
  pathOrder(): Int32Array {
    return (this.#sorted ??= this.#sortSiblings()).order;
  }

  firstSortedChild(id: number): number {
    return (this.#sorted ??= this.#sortSiblings()).first[id] ?? NO_NODE;
  }

  nextSortedSibling(id: number): number {
    return (this.#sorted ??= this.#sortSiblings()).next[id] ?? NO_NODE;
  }

  /**
   * One sort of every path (siblings share their parent's path, so their whole paths sort as
   * their names do), then each appended to its parent's list: one sort of nearly sorted paths
   * (tar lists them mostly in order) instead of one per directory and per layer.
   */
  #sortSiblings(): { order: Int32Array; first: Int32Array; next: Int32Array } {
    const size = this.size;
    const ids = Array.from({ length: size - 1 }, (_, index) => index + 1);
    const paths = this.#paths;
    ids.sort((a, b) => comparePaths(paths[a] ?? '', paths[b] ?? ''));
    const first = new Int32Array(size).fill(NO_NODE);
    const next = new Int32Array(size).fill(NO_NODE);
    const last = new Int32Array(size).fill(NO_NODE);
    for (const id of ids) {
      const parent = this.parent(id);
      const tail = last[parent] ?? NO_NODE;
      if (tail === NO_NODE) first[parent] = id;
      else next[tail] = id;
      last[parent] = id;
    }
    return { order: Int32Array.from(ids), first, next };
  }

  #add(path: string, parent: number, indexed = true): number {
    this.#sorted = null;
    const id = this.#paths.length;
    if (id === this.#parents.length) this.#grow();
    if (indexed) this.#ids?.set(path, id);
    this.#paths.push(path);
    this.#parents[id] = parent;
    this.#nextSiblings[id] = this.firstChild(parent);
    this.#firstChildren[parent] = id;
    return id;
  }

  #grow(): void {
    const grown = (from: Int32Array): Int32Array => {
      const to = new Int32Array(from.length * 2).fill(NO_NODE);
      to.set(from);
      return to;
    };
    this.#parents = grown(this.#parents);
    this.#firstChildren = grown(this.#firstChildren);
    this.#nextSiblings = grown(this.#nextSiblings);
  }
}

/** "/a/b" -> "/a", "/a" -> "/". */
function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** Byte order of paths (by UTF-16 code unit, as the reports have always sorted them). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
