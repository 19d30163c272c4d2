import type { FoundPackage } from './found-package.js';

/**
 * Sets why each package is there, from apt's marks and the dependency graph: not marked
 * automatic = requested; reachable from a requested package through Depends/Pre-Depends (any
 * installed alternative, or a package providing the name) = dependency; otherwise, when a
 * Recommends or Suggests of something installed leads to it = recommends. An automatic package
 * nothing leads to (apt would autoremove it) counts as a dependency. Cycles are fine: each
 * package is visited once.
 */
export function reasonsFromAptGraph(
  packages: FoundPackage[],
  automatic: ReadonlyMap<string, ReadonlySet<string>>,
): void {
  const byName = new Map<string, FoundPackage[]>();
  const add = (name: string, found: FoundPackage): void => {
    const list = byName.get(name) ?? [];
    list.push(found);
    byName.set(name, list);
  };
  for (const found of packages) {
    add(found.name, found);
    for (const virtual of found.provides) add(virtual, found);
  }
  const isAutomatic = (found: FoundPackage): boolean => {
    const archs = automatic.get(found.name);
    // extended_states names arch:all packages by the native architecture.
    return (
      archs !== undefined &&
      (found.architecture === null || found.architecture === 'all' || archs.has(found.architecture))
    );
  };

  const requested = packages.filter((found) => !isAutomatic(found));
  const needed = closure(requested, (found) => found.depends, byName);
  const recommended = closure([...needed], (found) => [...found.depends, ...found.recommends], byName);
  for (const found of packages) {
    found.reason = !isAutomatic(found)
      ? 'requested'
      : needed.has(found) || !recommended.has(found)
        ? 'dependency'
        : 'recommends';
  }
}

function closure(
  start: FoundPackage[],
  edges: (found: FoundPackage) => string[][],
  byName: ReadonlyMap<string, FoundPackage[]>,
): Set<FoundPackage> {
  const seen = new Set<FoundPackage>(start);
  const pending = [...start];
  for (let found = pending.pop(); found !== undefined; found = pending.pop()) {
    for (const group of edges(found)) {
      for (const name of group) {
        for (const next of byName.get(name) ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          pending.push(next);
        }
      }
    }
  }
  return seen;
}
