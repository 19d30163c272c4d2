import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PathIndex } from '../../../src/analysis/path-index.js';

function children(index: PathIndex, id: number): string[] {
  const paths: string[] = [];
  for (let child = index.firstChild(id); child >= 0; child = index.nextSibling(child))
    paths.push(index.path(child));
  return paths.sort();
}

describe('PathIndex', () => {
  it('numbers a path after its missing ancestors, once', () => {
    const index = new PathIndex();
    const deep = index.intern('/a/b/c');
    expect(index.size).toBe(4);
    expect(index.intern('/a/b/c')).toBe(deep);
    const b = index.parent(deep);
    expect(index.path(b)).toBe('/a/b');
    expect(index.path(index.parent(b))).toBe('/a');
    expect(index.parent(index.parent(b))).toBe(0);
    expect(index.name(deep)).toBe('c');
  });

  it('links siblings under their parent, whether or not the previous path shared it', () => {
    const index = new PathIndex();
    for (const path of ['/x/1', '/x/2', '/y/1', '/x/3', '/top']) index.intern(path);
    expect(children(index, 0)).toEqual(['/top', '/x', '/y']);
    expect(children(index, index.intern('/x'))).toEqual(['/x/1', '/x/2', '/x/3']);
    expect(index.size).toBe(8);
  });

  it('numbers 10,000-deep paths without recursion, and refuses new paths once sealed', () => {
    const index = new PathIndex();
    const id = index.intern('/d'.repeat(10_000));
    expect(index.size).toBe(10_001);
    expect(index.name(id)).toBe('d');
    index.seal();
    expect(() => index.intern('/new')).toThrow('intern after seal');
    expect(index.path(id)).toBe('/d'.repeat(10_000));
  });

  it("gives a whiteout a '.wh.' node beside its target, once, that lookups do not find", () => {
    const index = new PathIndex();
    const target = index.intern('/d/x');
    const node = index.whiteoutNode(target);
    expect(index.whiteoutNode(target)).toBe(node);
    expect(index.size).toBe(4);
    expect(index.path(node)).toBe('/d/.wh.x');
    expect(index.name(node)).toBe('.wh.x');
    expect(index.parent(node)).toBe(index.parent(target));
    expect(index.id('/d/.wh.x')).toBeUndefined();
    expect(children(index, index.parent(target))).toEqual(['/d/.wh.x', '/d/x']);
    expect(() => index.intern('/d/y')).toThrow('intern after a whiteout node');
  });

  it("tells whether a name starts with a prefix, a whiteout node's name included", () => {
    const index = new PathIndex();
    const aufs = index.intern('/d/.wh..wh.plnk');
    const under = index.intern('/d/.wh..wh.plnk/x');
    const [x, y] = [index.intern('/d/x'), index.intern('/d/.wh.y')];
    const node = index.whiteoutNode(x);
    const nodeOfWhiteoutName = index.whiteoutNode(y);
    expect([aufs, under, node, nodeOfWhiteoutName].map((id) => index.nameStartsWith(id, '.wh..wh.'))).toEqual(
      [true, false, false, true],
    );
    expect(
      ['.wh', '.wh.', '.wh.x', '.wh.xy', 'x', ''].map((prefix) => index.nameStartsWith(node, prefix)),
    ).toEqual([true, true, true, false, false, true]);
  });

  it("says whether any name starts with '.wh.', which no whiteout node alone makes so", () => {
    const none = new PathIndex();
    none.intern('/d/x.wh.y/z');
    none.intern('/d/a.wh..wh.b');
    none.whiteoutNode(none.intern('/d/x'));
    expect(none.hasWhiteoutNamedPaths).toBe(false);
    const named = new PathIndex();
    named.intern('/d/x');
    expect(named.hasWhiteoutNamedPaths).toBe(false);
    named.intern('/d/.wh..wh.plnk/x');
    expect(named.hasWhiteoutNamedPaths).toBe(true);
  });

  it("takes a path named '.wh.' and the target's name as the target's whiteout node", () => {
    const index = new PathIndex();
    const named = index.intern('/d/.wh.x');
    expect(index.whiteoutNode(index.intern('/d/x'))).toBe(named);
    expect(index.size).toBe(4);
  });

  it("sorts ids by path (UTF-16 code units), and each node's children by name, numbered in any order", () => {
    const index = new PathIndex();
    // Descending, scrambled and past-the-end ranks: each id's rank is searched from the last one's.
    for (const path of ['/z', '/b/\u00e9', '/b/Z', '/a', '/b/a', '/b', '/b/\ud800x', '/ab', '/b/.wh.a'])
      index.intern(path);
    index.whiteoutNode(index.intern('/b/Z'));
    const { order, first, next } = index.sorted();
    const sorted = [...order].map((id) => index.path(id));
    // Whiteout nodes are in the sibling lists only.
    expect(sorted).toEqual(['/a', '/ab', '/b', '/b/.wh.a', '/b/Z', '/b/a', '/b/\u00e9', '/b/\ud800x', '/z']);
    const childrenOf = (path: string): string[] => {
      const names: string[] = [];
      for (let child = first[index.id(path) ?? 0] ?? -1; child >= 0; child = next[child] ?? -1)
        names.push(index.name(child));
      return names;
    };
    expect(childrenOf('/')).toEqual(['a', 'ab', 'b', 'z']);
    expect(childrenOf('/b')).toEqual(['.wh.Z', '.wh.a', 'Z', 'a', '\u00e9', '\ud800x']);
  });

  it("merges whiteout nodes into their parents' children as their whole names sort", () => {
    const names = [
      '-',
      '.',
      '.a',
      '.w',
      '.wh',
      '.wh.',
      '.wh.a',
      '.wh.b',
      '.whz',
      'a',
      'b',
      'wh',
      'Z',
      '\u00e9',
    ];
    const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...names), { minLength: 1 }),
        fc.array(fc.nat()),
        (real, picks) => {
          const index = new PathIndex();
          for (const name of real) index.intern(`/d/${name}`);
          const targets = [...new Set(picks.map((pick) => real[pick % real.length] ?? ''))];
          for (const target of targets) index.whiteoutNode(index.id(`/d/${target}`) ?? 0);
          const { first, next } = index.sorted();
          const listed: string[] = [];
          for (let child = first[index.id('/d') ?? 0] ?? -1; child >= 0; child = next[child] ?? -1)
            listed.push(index.name(child));
          const whole = [...new Set([...real, ...targets.map((target) => `.wh.${target}`)])];
          expect(listed).toEqual(whole.sort(byCodeUnit));
        },
      ),
    );
  });

  it.each([
    ['a thousand paths', 1_000, 97, false],
    // Sorted as the seal drops the map from path to id, which the sort of fewer paths uses.
    ['a thousand paths, sealed', 1_000, 97, true],
    ['70,000 paths (sorted by merging, past 65,536)', 70_000, 211, false],
    ['70,000 paths, sealed', 70_000, 211, true],
  ])('sorts %s numbered out of order', (_, count, directories, sealed) => {
    const index = new PathIndex();
    const paths = Array.from(
      { length: count },
      (_, at) => `/d${(at * 7919) % directories}/f${(at * 104_729) % (count + 1)}`,
    );
    for (const path of paths) index.intern(path);
    if (sealed) index.seal();
    const sorted = [...index.sorted().order].map((id) => index.path(id));
    const expected = [...new Set([...paths, ...paths.map((path) => path.slice(0, path.indexOf('/', 1)))])];
    expect(sorted).toEqual(expected.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
