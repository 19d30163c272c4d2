/** No such node (no parent, no child, no sibling). */
const NO_NODE = -1;

/** A PathIndex's ids in path order, and its tree's sibling lists in that order (see `sorted`). */
export interface SortedPaths {
  readonly order: Int32Array;
  readonly first: Int32Array;
  readonly next: Int32Array;
}

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
  #sorted: SortedPaths | null = null;
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
   * Every id but the root's in path order (byte order of the whole paths, as the reports sort
   * them), and each node's children in that order (byte order of their names, as Go's
   * sort.Strings orders them): `first[id]` is the first child of `id`, `next[child]` the one
   * after `child` (NO_NODE: none). Sorted once, on first use: call it only once every path is
   * numbered.
   */
  sorted(): SortedPaths {
    return (this.#sorted ??= this.#sortSiblings());
  }

  /**
   * One sort of every path (siblings share their parent's path, so their whole paths sort as
   * their names do), then each appended to its parent's list: one sort of nearly sorted paths
   * (tar lists them mostly in order) instead of one per directory and per layer.
   */
  #sortSiblings(): SortedPaths {
    const size = this.size;
    const order = this.#sortedIds();
    const first = new Int32Array(size).fill(NO_NODE);
    const next = new Int32Array(size).fill(NO_NODE);
    const last = new Int32Array(size).fill(NO_NODE);
    for (let at = 0; at < order.length; at++) {
      const id = order[at] ?? 0;
      const parent = this.parent(id);
      const tail = last[parent] ?? NO_NODE;
      if (tail === NO_NODE) first[parent] = id;
      else next[tail] = id;
      last[parent] = id;
    }
    return { order, first, next };
  }

  /** Ids but the root's in path order (byte order of the paths, by UTF-16 code unit). */
  #sortedIds(): Int32Array {
    const paths = this.#paths;
    const ids = Array.from({ length: paths.length - 1 }, (_, index) => index + 1);
    ids.sort((a, b) => {
      const pathA = paths[a] ?? '';
      const pathB = paths[b] ?? '';
      return pathA < pathB ? -1 : pathA > pathB ? 1 : 0;
    });
    return Int32Array.from(ids);
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
