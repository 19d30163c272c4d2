/**
 * Lookups by path before they are made through a map (path to position) instead of a binary
 * search, per path: a few lookups cost less than the map, a package inventory's thousands (a
 * search of long paths is ten times a map lookup) far more. A million files and few lookups
 * never build the 40 MB a map of them holds.
 */
const LOOKUPS_PER_PATH_BEFORE_MAP = 1 / 16;

/** The positions of paths in a list sorted by path (string order). */
export class SortedPathLookup {
  #lookups = 0;
  #positions: Map<string, number> | null = null;

  constructor(
    /** Sorted by path, no path twice. */
    readonly paths: readonly string[],
  ) {}

  /** The position of exactly `path`, or -1. */
  position(path: string): number {
    if (this.#positions === null && ++this.#lookups > this.paths.length * LOOKUPS_PER_PATH_BEFORE_MAP) {
      const positions = new Map<string, number>();
      this.paths.forEach((known, position) => positions.set(known, position));
      this.#positions = positions;
    }
    if (this.#positions !== null) return this.#positions.get(path) ?? -1;
    const position = this.lowerBound(path);
    return this.paths[position] === path ? position : -1;
  }

  /** The first position whose path is not before `path`. */
  lowerBound(path: string): number {
    const paths = this.paths;
    let low = 0;
    let high = paths.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((paths[middle] ?? '') < path) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
