import { EntryTable, type Analysis, type FindingSeverity, plural } from '../model/index.js';
import { CACHE_WORDS, isPackageCache } from './cache-locations.js';
import { buildFinding, bytesText, sumClaims } from './finding-builder.js';
import { layerInstruction, runRewrite } from './layer-instruction.js';
import { selection, timelineOf, type TrackedEntry } from './layer-timeline.js';
import { WORTH_TEXT, type Rule, type RuleFinding, type RuleOptions } from './rule.js';

export interface PackageCacheSpec {
  id: string;
  severity: FindingSeverity;
  title: string;
  description: string;
  related: string[];
  /** Files that are the cache: some of CACHE_LOCATIONS (isPackageCache). */
  matches: (path: string) => boolean;
  /** What the cache is, for messages: "apt package lists". */
  what: string;
  /** Advice when the layer is a RUN that can be rewritten. */
  adviceText: string;
  /** Advice when it is not (a COPY of a cache, history without the command). */
  fallbackText: string;
  /** The RUN rewritten; `layerEntries` are all of that layer's entries, for fixes that depend on them. */
  fix: (command: string, layerEntries: EntryTable) => string;
}

/** The stored files in any package cache location: found once for all the cache rules. */
const CACHE_FILES = selection((entry) => entry.type === 'file' && isPackageCache(entry.path), {
  paths: CACHE_WORDS,
});

/**
 * The shape all package-cache rules share: cache files stored by a layer are waste whether or
 * not a later layer deletes them (deleting later does not shrink the image), so every stored
 * copy counts, grouped by the layer that wrote it, and the advice rewrites that layer's RUN.
 */
export function packageCacheRule(spec: PackageCacheSpec): Rule {
  return {
    id: spec.id,
    severity: spec.severity,
    title: spec.title,
    description: `${spec.description} ${WORTH_TEXT}`,
    bySize: true,
    related: spec.related,
    detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
      const byLayer = new Map<number, TrackedEntry[]>();
      for (const tracked of timelineOf(analysis).selected(CACHE_FILES)) {
        if (!spec.matches(tracked.path)) continue;
        const list = byLayer.get(tracked.layer) ?? [];
        list.push(tracked);
        byLayer.set(tracked.layer, list);
      }
      const findings: RuleFinding[] = [];
      for (const [layer, files] of byLayer) {
        const claims = files.map((t) => t.claim());
        const bytes = sumClaims(claims);
        if (bytes === 0) continue;
        const deletedBy = [
          ...new Set(files.flatMap((t) => (t.fate.kind === 'visible' ? [] : [t.fate.by]))),
        ].filter((by) => by > layer);
        const later =
          deletedBy.length === 0
            ? ''
            : `; layer ${deletedBy.join(', ')} removed them, but the bytes are still stored in layer ${layer}`;
        const rewrite = runRewrite(analysis, layer, (command) =>
          spec.fix(command, analysis.contents[layer]?.entries ?? new EntryTable()),
        );
        const isRun = layerInstruction(analysis, layer).keyword === 'RUN';
        findings.push(
          buildFinding(
            spec,
            analysis,
            {
              layerIndex: layer,
              message: `${plural(files.length, 'file')} of ${spec.what} (${bytesText(bytes)}) written by layer ${layer}${later}.`,
              claims,
              ...(rewrite === undefined ? {} : { edit: rewrite.edit }),
              advice: {
                text: isRun ? spec.adviceText : spec.fallbackText,
                ...(rewrite === undefined ? {} : { dockerfile: rewrite.dockerfile }),
              },
            },
            options.maxPaths,
          ),
        );
      }
      return findings;
    },
  };
}
