import { type Analysis, dockerfileLine } from '../../model/index.js';
import type { TrackedEntry } from '../layer-timeline.js';
import { buildFinding, bytesText, sumClaims, plural } from '../finding-builder.js';
import { layerInstruction } from '../layer-instruction.js';
import { entryKey, timelineOf } from '../layer-timeline.js';
import { isCopy } from '../metadata-rewrite.js';
import type { Claim, Rule, RuleContext, RuleFinding, RuleOptions } from '../rule.js';

/**
 * The general case of waste: a file stored by one layer and deleted or overwritten by a later
 * one still ships in the lower layer. Grouped by the pair of layers; bytes a more specific rule
 * explains (caches, chmod/chown copies, extracted archives) are left to that rule.
 */
export const deletedInLaterLayer: Rule = {
  id: 'deleted-in-later-layer',
  severity: 'warning',
  title: 'Files deleted or overwritten in a later layer',
  description:
    'Files a layer stores that a later layer deletes or overwrites: they are still shipped in the lower layer. Grouped by the pair of layers.',
  related: [],
  general: true,
  detect(analysis: Analysis, options: RuleOptions, context: RuleContext): RuleFinding[] {
    const groups = new Map<string, { from: number; by: number; claims: Claim[]; deleted: number }>();
    for (const tracked of timelineOf(analysis).entries) {
      const fate = tracked.fate;
      if (fate.kind === 'visible' || fate.by <= tracked.layer || tracked.type !== 'file') continue;
      if (tracked.size === 0 || expected(analysis, tracked)) continue;
      if (context.claimed.has(entryKey(tracked.layer, tracked.index))) continue;
      const key = `${tracked.layer}>${fate.by}`;
      const group = groups.get(key) ?? { from: tracked.layer, by: fate.by, claims: [], deleted: 0 };
      group.claims.push(tracked.claim());
      if (fate.kind === 'deleted') group.deleted++;
      groups.set(key, group);
    }
    return [...groups.values()].map((group) => {
      const lower = layerInstruction(analysis, group.from);
      const upper = layerInstruction(analysis, group.by);
      const bytes = sumClaims(group.claims);
      const how =
        group.deleted === group.claims.length
          ? 'deleted'
          : group.deleted === 0
            ? 'overwritten'
            : 'deleted or overwritten';
      const bothRun = lower.keyword === 'RUN' && upper.keyword === 'RUN';
      return buildFinding(
        this,
        analysis,
        {
          layerIndex: group.from,
          title: `Files from layer ${group.from} ${how} in layer ${group.by}`,
          message: `${plural(group.claims.length, 'file')} (${bytesText(bytes)}) stored by layer ${group.from} and ${how} by layer ${group.by}: they are still in the image.`,
          claims: group.claims,
          advice: {
            text: bothRun
              ? 'Create and remove the files in the same RUN, so they never reach a layer.'
              : 'Keep files out of the layer that does not need them: create and remove them in one RUN, or produce them in a build stage and COPY --from only the result (multi-stage build).',
            ...(bothRun
              ? {
                  dockerfile: {
                    before: `${dockerfileLine(lower)}\n${dockerfileLine(upper)}`,
                    after: `RUN ${lower.args} \\\n    && ${upper.args}`,
                  },
                }
              : {}),
          },
        },
        options.maxPaths,
      );
    });
  },
};

/**
 * Package databases and the linker cache are rewritten by every package install: expected, and
 * not something a Dockerfile can avoid.
 */
const BOOKKEEPING =
  /^\/(?:var\/lib\/dpkg\/|var\/lib\/apk\/db\/|var\/lib\/rpm\/|var\/lib\/dnf\/|var\/cache\/debconf\/|etc\/ld\.so\.cache$|var\/log\/)/;

/**
 * Overwrites that are not waste to fix: bookkeeping files, and a COPY that brings a file again
 * unchanged (copying the dependency manifest first for the build cache, then the whole context).
 */
function expected(analysis: Analysis, tracked: TrackedEntry): boolean {
  if (tracked.fate.kind === 'deleted') return false;
  if (BOOKKEEPING.test(tracked.path)) return true;
  return tracked.fate.kind === 'rewritten' && isCopy(analysis, tracked.fate.by);
}
