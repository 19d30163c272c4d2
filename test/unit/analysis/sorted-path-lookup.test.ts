import { describe, expect, it } from 'vitest';
import { SortedPathLookup } from '../../../src/analysis/sorted-path-lookup.js';

describe('positions in a sorted list of paths', () => {
  const paths = Array.from({ length: 64 }, (_, at) => `/d${String(at).padStart(2, '0')}/f`).sort();

  it('finds each path (and no other) by binary search first, then by a map, with the same answers', () => {
    const lookup = new SortedPathLookup(paths);
    // 64 paths: four lookups are searches, the fifth builds the map. Each asks for a present
    // path and then for absent ones around it.
    for (let round = 0; round < 3; round++) {
      for (const [at, path] of paths.entries()) {
        expect(lookup.position(path)).toBe(at);
        expect(lookup.position(`${path}x`)).toBe(-1);
        expect(lookup.position(path.slice(0, -1))).toBe(-1);
      }
    }
    expect(lookup.position('')).toBe(-1);
  });

  it('gives where a prefix starts: the first path not before it', () => {
    const lookup = new SortedPathLookup(paths);
    expect(lookup.lowerBound('/d10/')).toBe(10);
    expect(lookup.lowerBound('/d10/g')).toBe(11);
    expect(lookup.lowerBound('/')).toBe(0);
    expect(lookup.lowerBound('/e')).toBe(64);
  });

  it('tells a path from those that sort next to it, by search and by map', () => {
    const asked = ['/a', '/a/', '/a/b', '/ab', '/b', '/c', ''];
    const expected = [0, -1, 1, -1, 2, -1, -1];
    // 200 paths: these seven lookups are all searches; on three paths, all made through the map.
    const many = ['/a', '/a/b', '/b', ...Array.from({ length: 197 }, (_, at) => `/z${at}`)].sort();
    const searched = new SortedPathLookup(many);
    expect(asked.map((path) => searched.position(path))).toEqual(expected);
    const mapped = new SortedPathLookup(['/a', '/a/b', '/b']);
    expect(asked.map((path) => mapped.position(path))).toEqual(expected);
  });
});
