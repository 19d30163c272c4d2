import { grown } from '../model/index.js';

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
  /** The paths by id, up to the first whiteout node (`whiteoutNode`). */
  readonly #paths: string[] = ['/'];
  /** By whiteout node (from the id #paths.length on): the path it is named after. */
  readonly #whiteoutTargets: number[] = [];
  /** By path id (made with the first whiteout node): the whiteout node named after it, or NO_NODE. */
  #whiteoutNodeOf: Int32Array | null = null;
  /** Whether some path's name starts with ".wh." (a whiteout node's name can then be a path). */
  #whiteoutNamed = false;
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
    return this.#paths.length + this.#whiteoutTargets.length;
  }

  /**
   * Number of ids that are paths: 0 to pathCount - 1; whiteout nodes (`whiteoutNode`) come after
   * them. What is kept per path of a merged stack needs only these: a layer of a million whiteouts
   * doubles the ids.
   */
  get pathCount(): number {
    return this.#paths.length;
  }

  /**
   * No more paths will be numbered: drops the map from path to id, sorting the paths first where
   * `sortedByPath` uses the map (fewer than MERGED_FROM).
   */
  seal(): void {
    if (this.#paths.length - 1 < MERGED_FROM) this.#sorted ??= this.#sortSiblings();
    this.#ids = null;
  }

  /** The id of a path numbered so far (not of whiteout nodes). */
  id(path: string): number | undefined {
    const ids = this.#ids;
    if (ids === null) throw new Error('PathIndex: lookup after seal');
    return ids.get(path);
  }

  /**
   * The node dive's tree gives a whiteout of `target` (a path id): ".wh.NAME" beside it. That is
   * a path of its own where one has that name (a directory named so); else one node per target,
   * numbered after every path (no path may be numbered after it), with no string of its own and
   * not in the map: a layer of a million whiteouts would otherwise hold a million more names.
   * Whiteout nodes are in the sibling lists of `sorted`, not in its path order.
   */
  whiteoutNode(target: number): number {
    if (this.#whiteoutNamed) {
      const named = this.id(whiteoutPath(this.path(target)));
      if (named !== undefined) return named;
    }
    const nodeOf = (this.#whiteoutNodeOf ??= new Int32Array(this.#paths.length).fill(NO_NODE));
    const known = nodeOf[target] ?? NO_NODE;
    if (known !== NO_NODE) return known;
    const id = this.size;
    this.#link(id, this.parent(target));
    this.#whiteoutTargets.push(target);
    nodeOf[target] = id;
    return id;
  }

  /** The id of an absolute, normalised path, numbering it and its missing ancestors first. */
  intern(path: string): number {
    const ids = this.#ids;
    if (ids === null) throw new Error('PathIndex: intern after seal');
    if (this.#whiteoutNodeOf !== null) throw new Error('PathIndex: intern after a whiteout node');
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
    const path = this.#paths[id];
    if (path !== undefined) return path;
    const target = this.#whiteoutTargets[id - this.#paths.length];
    return target === undefined ? '' : whiteoutPath(this.path(target));
  }

  /** The last component of the path ("" for the root). */
  name(id: number): string {
    const path = this.path(id);
    return path.slice(path.lastIndexOf('/') + 1);
  }

  /**
   * Whether some path's last name starts with ".wh." (its whiteout prefix). Where none does, no
   * name starts with a longer prefix that begins so, a whiteout node's (".wh." and its target's
   * name) included: a search for such names can stop before it starts.
   */
  get hasWhiteoutNamedPaths(): boolean {
    return this.#whiteoutNamed;
  }

  /** Whether the last name of `id`'s path starts with `prefix` (a whiteout node's path is not made). */
  nameStartsWith(id: number, prefix: string): boolean {
    const path = this.#paths[id];
    // Most paths have the prefix nowhere: one search of the path says so.
    if (path !== undefined)
      return path.includes(prefix) && path.startsWith(prefix, path.lastIndexOf('/') + 1);
    const target = this.#whiteoutTargets[id - this.#paths.length];
    if (target === undefined) return false;
    // ".wh." and the target's name.
    if (prefix.length <= WHITEOUT_PREFIX.length) return WHITEOUT_PREFIX.startsWith(prefix);
    if (!prefix.startsWith(WHITEOUT_PREFIX)) return false;
    const targetPath = this.path(target);
    const name = targetPath.lastIndexOf('/') + 1 - WHITEOUT_PREFIX.length;
    for (let at = WHITEOUT_PREFIX.length; at < prefix.length; at++)
      if (targetPath.charCodeAt(name + at) !== prefix.charCodeAt(at)) return false;
    return true;
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
   * The tree as it stands, by id (views of `size` ids, not copies): each id's parent, first child
   * and next sibling (NO_NODE: none), for passes that copy it or read every node.
   */
  tree(): { parents: Int32Array; firstChildren: Int32Array; nextSiblings: Int32Array } {
    const size = this.size;
    return {
      parents: this.#parents.subarray(0, size),
      firstChildren: this.#firstChildren.subarray(0, size),
      nextSiblings: this.#nextSiblings.subarray(0, size),
    };
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
   * their names do), then each prepended to its parent's list, last to first: one sort of nearly
   * sorted paths (tar lists them mostly in order) instead of one per directory and per layer.
   * Whiteout nodes are then merged into their parents' lists.
   */
  #sortSiblings(): SortedPaths {
    const size = this.size;
    const order = sortedByPath(this.#paths, this.#ids);
    const first = new Int32Array(size).fill(NO_NODE);
    const next = new Int32Array(size).fill(NO_NODE);
    for (let at = order.length - 1; at >= 0; at--) {
      const id = order[at] ?? 0;
      const parent = this.parent(id);
      next[id] = first[parent] ?? NO_NODE;
      first[parent] = id;
    }
    const nodeOf = this.#whiteoutNodeOf;
    if (nodeOf !== null) this.#mergeWhiteoutNodes(order, nodeOf, first, next);
    return { order, first, next };
  }

  /**
   * Merges each parent's whiteout nodes into its (sorted) list of children. The nodes of one
   * parent are in their targets' order (".wh." + each name keeps the names' order), so each
   * parent merges two sorted lists, comparing a name with ".wh." + a name in place.
   */
  #mergeWhiteoutNodes(order: Int32Array, nodeOf: Int32Array, first: Int32Array, next: Int32Array): void {
    // Each parent's whiteout nodes, linked through `next` (theirs is free) in their targets' order.
    const nodesFirst = new Int32Array(this.#paths.length).fill(NO_NODE);
    for (let at = order.length - 1; at >= 0; at--) {
      const target = order[at] ?? 0;
      const node = nodeOf[target] ?? NO_NODE;
      if (node === NO_NODE) continue;
      const parent = this.parent(target);
      next[node] = nodesFirst[parent] ?? NO_NODE;
      nodesFirst[parent] = node;
    }
    nodesFirst.forEach((firstNode, parent) => {
      if (firstNode === NO_NODE) return;
      let child = first[parent] ?? NO_NODE;
      let node = firstNode;
      let tail = NO_NODE;
      const append = (id: number): void => {
        if (tail === NO_NODE) first[parent] = id;
        else next[tail] = id;
        tail = id;
      };
      while (child !== NO_NODE && node !== NO_NODE) {
        const following = child;
        const target = this.#whiteoutTargets[node - this.#paths.length] ?? 0;
        if (beforeWhiteoutName(this.path(child), this.path(target))) {
          child = next[child] ?? NO_NODE;
          append(following);
        } else {
          const nextNode = next[node] ?? NO_NODE;
          append(node);
          node = nextNode;
        }
      }
      // The rest of either list is linked already (a node's rest through `next` too).
      const rest = child !== NO_NODE ? child : node;
      if (tail === NO_NODE) first[parent] = rest;
      else next[tail] = rest;
    });
  }

  #add(path: string, parent: number): number {
    const id = this.#paths.length;
    this.#link(id, parent);
    this.#ids?.set(path, id);
    this.#paths.push(path);
    if (path.startsWith(WHITEOUT_PREFIX, path.lastIndexOf('/') + 1)) this.#whiteoutNamed = true;
    return id;
  }

  /** Makes `id` a child of `parent`. */
  #link(id: number, parent: number): void {
    this.#sorted = null;
    if (id === this.#parents.length) this.#grow();
    this.#parents[id] = parent;
    this.#nextSiblings[id] = this.firstChild(parent);
    this.#firstChildren[parent] = id;
  }

  #grow(): void {
    const twice = (from: Int32Array): Int32Array =>
      grown(from, new Int32Array(from.length * 2).fill(NO_NODE));
    this.#parents = twice(this.#parents);
    this.#firstChildren = twice(this.#firstChildren);
    this.#nextSiblings = twice(this.#nextSiblings);
  }
}

const WHITEOUT_PREFIX = '.wh.';

/** The path of the whiteout node of `path`: "/a/b" -> "/a/.wh.b". */
function whiteoutPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}${WHITEOUT_PREFIX}${path.slice(slash + 1)}`;
}

/**
 * Whether the last name of `path` sorts before ".wh." followed by the last name of `target`
 * (by UTF-16 code unit, as `<` compares strings), without making that name.
 */
function beforeWhiteoutName(path: string, target: string): boolean {
  const from = path.lastIndexOf('/') + 1;
  const targetFrom = target.lastIndexOf('/') + 1;
  const length = path.length - from;
  const whiteoutLength = WHITEOUT_PREFIX.length + target.length - targetFrom;
  for (let at = 0; at < length && at < whiteoutLength; at++) {
    const code = path.charCodeAt(from + at);
    const whiteoutCode =
      at < WHITEOUT_PREFIX.length
        ? WHITEOUT_PREFIX.charCodeAt(at)
        : target.charCodeAt(targetFrom + at - WHITEOUT_PREFIX.length);
    if (code !== whiteoutCode) return code < whiteoutCode;
  }
  return length < whiteoutLength;
}

/** Runs of this many ids are sorted by insertion before the runs are merged. */
const SORTED_RUN = 32;
/**
 * Below this many ids (where the index's map from path to id is at hand), `Array.prototype.sort`
 * of the path strings themselves sorts faster than the merge in JavaScript run cold: V8 compares
 * strings in its own code, with no call back into JavaScript per comparison (the Debian bench
 * image's 20,000 paths: 6.7 ms to 4.7 ms for the step that sorts them); its copies are small.
 */
const MERGED_FROM = 1 << 16;

/**
 * The ids 1 to paths.length - 1 in the order of their paths (`<`, as `sort` without a comparator
 * orders strings: by UTF-16 code unit). Where `ids` (path to id) is given and the paths are
 * fewer than MERGED_FROM, the strings are sorted and their ids looked up; else they are sorted
 * by merging in two Int32Arrays: Array.prototype.sort would take a boxed copy of the ids, its
 * own work array and a typed copy of the result (24 bytes an id against 8, at a million-path
 * image's peak memory) and is no faster on paths in tar's order (measured: 0.15 s against 0.18 s
 * for a million, the same 2.7 s shuffled). Paths are distinct: no question of stability.
 */
function sortedByPath(paths: readonly string[], ids: ReadonlyMap<string, number> | null): Int32Array {
  const count = paths.length - 1;
  if (count < MERGED_FROM && ids !== null) {
    const sorted = paths.slice(1).sort();
    const order = new Int32Array(count);
    for (let at = 0; at < count; at++) order[at] = ids.get(sorted[at] ?? '') ?? 0;
    return order;
  }
  return mergeSortedByPath(paths, count);
}

/** `sortedByPath` by merging: runs sorted by insertion, then merged pairwise. */
function mergeSortedByPath(paths: readonly string[], count: number): Int32Array {
  let ids = new Int32Array(count);
  for (let at = 0; at < count; at++) ids[at] = at + 1;
  const pathOf = (at: number): string => paths[ids[at] ?? 0] ?? '';
  for (let start = 0; start < count; start += SORTED_RUN) {
    const end = Math.min(start + SORTED_RUN, count);
    for (let at = start + 1; at < end; at++) {
      const id = ids[at] ?? 0;
      const path = paths[id] ?? '';
      let to = at;
      for (; to > start && pathOf(to - 1) > path; to--) ids[to] = ids[to - 1] ?? 0;
      ids[to] = id;
    }
  }
  let merged = new Int32Array(count);
  for (let width = SORTED_RUN; width < count; width *= 2) {
    for (let low = 0; low < count; low += 2 * width) {
      const middle = Math.min(low + width, count);
      const high = Math.min(low + 2 * width, count);
      // Runs already in order (tar lists a directory's entries together) are copied as they are.
      if (middle >= high || pathOf(middle - 1) <= pathOf(middle)) {
        merged.set(ids.subarray(low, high), low);
        continue;
      }
      let left = low;
      let right = middle;
      let to = low;
      while (left < middle && right < high)
        merged[to++] = (pathOf(right) < pathOf(left) ? ids[right++] : ids[left++]) ?? 0;
      merged.set(ids.subarray(left, middle), to);
      merged.set(ids.subarray(right, high), to + middle - left);
    }
    [ids, merged] = [merged, ids];
  }
  return ids;
}

/** "/a/b" -> "/a", "/a" -> "/". */
function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}
