import { type Analysis, dockerfileLine, plural } from '../model/index.js';
import { copyWithFlags } from './copy-flags.js';
import { buildFinding, bytesText, sumClaims } from './finding-builder.js';
import { layerInstruction } from './layer-instruction.js';
import { timelineOf, type TrackedEntry } from './layer-timeline.js';
import { rewriteReason } from './metadata-rewrite.js';
import { chainRuns } from './run-rewrite.js';
import type { StepChange } from './step-edit.js';
import { WORTH_TEXT, type Rule, type RuleFinding, type RuleOptions } from './rule.js';

export interface MetadataDuplicateSpec {
  id: string;
  title: string;
  description: string;
  related: string[];
  reason: 'chown' | 'chmod';
  adviceText: string;
  /** The Dockerfile change, from the layer that re-added the files and the lower copies. */
  rewrite: (analysis: Analysis, upperLayer: number, lowers: TrackedEntry[]) => StepChange | undefined;
}

/**
 * A layer that writes files again with identical content (equal sha256) and only a new owner
 * or mode stores every byte twice. Claimed bytes are the lower copies: the copy the advice makes
 * unnecessary, the same bytes `deleted-in-later-layer` would otherwise count.
 */
export function metadataDuplicateRule(spec: MetadataDuplicateSpec): Rule {
  return {
    id: spec.id,
    severity: 'warning',
    title: spec.title,
    description: `${spec.description} ${WORTH_TEXT}`,
    bySize: true,
    related: spec.related,
    detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
      const byUpper = new Map<number, TrackedEntry[]>();
      // A rewritten entry is not visible: the others need no fate.
      for (const tracked of timelineOf(analysis).hidden) {
        if (tracked.fate.kind !== 'rewritten' || rewriteReason(analysis, tracked) !== spec.reason) continue;
        const list = byUpper.get(tracked.fate.by) ?? [];
        list.push(tracked);
        byUpper.set(tracked.fate.by, list);
      }
      return [...byUpper].map(([upper, lowers]) => {
        const claims = lowers.map((t) => t.claim());
        const bytes = sumClaims(claims);
        const from = [...new Set(lowers.map((t) => t.layer))].join(', ');
        const what = spec.reason === 'chown' ? 'owner' : 'mode';
        const rewrite = spec.rewrite(analysis, upper, lowers);
        return buildFinding(
          this,
          analysis,
          {
            layerIndex: upper,
            message: `Layer ${upper} stores ${plural(lowers.length, 'file')} (${bytesText(bytes)}) again with the same content as layer ${from} and only a new ${what}.`,
            claims,
            ...(rewrite === undefined ? {} : { edit: rewrite.edit }),
            advice: {
              text: spec.adviceText,
              ...(rewrite === undefined ? {} : { dockerfile: rewrite.dockerfile }),
            },
          },
          options.maxPaths,
        );
      });
    },
  };
}

/**
 * `COPY --chown=`/`--chmod=` on the COPY that brought the files in, with the RUN dropped; where
 * the files came from a RUN, the ownership change moves into that RUN.
 */
export function flagOnSourceCopy(
  analysis: Analysis,
  upperLayer: number,
  lowers: TrackedEntry[],
  flag: 'chown' | 'chmod',
): StepChange | undefined {
  const upper = layerInstruction(analysis, upperLayer);
  if (upper.keyword !== 'RUN') return undefined;
  const first = lowers[0];
  if (first === undefined) return undefined;
  const sample = first.fate.kind === 'rewritten' ? first.fate.replacement.entry : first.entry;
  const value =
    flag === 'chown' ? `${sample.uid}:${sample.gid}` : (sample.mode & 0o7777).toString(8).padStart(3, '0');
  // The lower layer that supplied most of the bytes is the instruction to change.
  const bytesByLayer = new Map<number, number>();
  for (const t of lowers) bytesByLayer.set(t.layer, (bytesByLayer.get(t.layer) ?? 0) + t.entry.size);
  const source = [...bytesByLayer].sort((a, b) => b[1] - a[1])[0]?.[0] ?? first.layer;
  const lower = layerInstruction(analysis, source);
  const before = `${dockerfileLine(lower)}\n${dockerfileLine(upper)}`;
  if (lower.keyword === 'COPY' || lower.keyword === 'ADD') {
    return {
      dockerfile: { before, after: copyWithFlags(lower, new Map([[flag, value]])) },
      edit: { kind: 'copy-flag', layer: source, drop: upperLayer, flag, value },
    };
  }
  if (lower.keyword === 'RUN') {
    return {
      dockerfile: { before, after: chainRuns([lower.args, upper.args]) },
      edit: { kind: 'chain', layers: [source, upperLayer] },
    };
  }
  return undefined;
}
