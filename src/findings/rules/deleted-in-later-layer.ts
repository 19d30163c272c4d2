import { type Analysis, type Instruction, dockerfileLine, plural } from '../../model/index.js';
import { baseLayerCount } from '../base-layers.js';
import type { TrackedEntry } from '../layer-timeline.js';
import { buildFinding, bytesText, sumClaims } from '../finding-builder.js';
import { layerInstruction } from '../layer-instruction.js';
import { entryKey, timelineOf } from '../layer-timeline.js';
import { isCopy } from '../metadata-rewrite.js';
import { chainRuns } from '../run-rewrite.js';
import {
  WORTH_TEXT,
  type Claim,
  type Rule,
  type RuleContext,
  type RuleFinding,
  type RuleOptions,
} from '../rule.js';

/**
 * The general case of waste: a file a step of this image stored and a later step deleted or
 * overwrote still ships in the lower layer. Grouped by the pair of layers; bytes a more specific
 * rule explains (caches, chmod/chown copies, extracted archives) are left to that rule. Files of
 * the base image and the package manager's and account databases' rewrites are left out: no
 * change to this Dockerfile avoids them.
 */
export const deletedInLaterLayer: Rule = {
  id: 'deleted-in-later-layer',
  severity: 'warning',
  title: 'Files deleted or overwritten in a later layer',
  description: `Files a layer stores that a later layer deletes or overwrites: they are still shipped in the lower layer. Grouped by the pair of layers. ${WORTH_TEXT}`,
  bySize: true,
  related: [],
  general: true,
  detect(analysis: Analysis, options: RuleOptions, context: RuleContext): RuleFinding[] {
    const base = baseLayerCount(analysis);
    const groups = new Map<string, { from: number; by: number; claims: Claim[]; deleted: number }>();
    const gone = timelineOf(analysis).hidden.filter(
      (tracked) => tracked.layer >= base && tracked.type === 'file' && tracked.size !== 0,
    );
    for (const tracked of gone) {
      const fate = tracked.fate;
      if (fate.kind === 'visible' || fate.by <= tracked.layer || expected(analysis, tracked)) continue;
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
      const lowerStep = `layer ${group.from} (${shortStep(lower)})`;
      const upperStep = `layer ${group.by} (${shortStep(upper)})`;
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
              ? `Merge ${upperStep} into ${lowerStep}: one RUN that creates and removes the files, so they never reach a layer.`
              : lower.keyword === 'COPY' || lower.keyword === 'ADD'
                ? `Leave the files out of ${lowerStep} (.dockerignore, or copy only what the image needs) rather than removing them in ${upperStep}; or produce them in a build stage and COPY --from only the result.`
                : `Do in ${lowerStep} what ${upperStep} does to these files, so they never reach a layer; or produce them in a build stage and COPY --from only the result.`,
            ...(bothRun
              ? {
                  dockerfile: {
                    before: `${dockerfileLine(lower)}\n${dockerfileLine(upper)}`,
                    after: chainRuns([lower.args, upper.args]),
                  },
                }
              : {}),
          },
          ...(bothRun ? { edit: { kind: 'chain', layers: [group.from, group.by] } } : {}),
        },
        options.maxPaths,
      );
    });
  },
};

/**
 * Files every package install or `useradd` rewrites: package databases and state, logs, the
 * linker cache, the account and PAM databases, the CA bundle. Expected, and not something a
 * Dockerfile can avoid.
 */
const BOOKKEEPING = new RegExp(
  [
    '^/var/lib/(?:dpkg|apk/db|rpm|dnf|yum|ucf|systemd|pam)/',
    '^/var/lib/apt/(?:extended_states$|periodic/)',
    '^/var/cache/(?:debconf|ldconfig|man)/',
    '^/var/log/',
    '^/etc/ld\\.so\\.cache$',
    '^/etc/(?:passwd|group|shadow|gshadow|subuid|subgid|shells)-?$',
    '^/etc/pam\\.d/',
    '^/etc/ssl/certs/',
    '^/usr/share/info/dir$',
  ].join('|'),
);

/**
 * Changes that are not waste to fix: bookkeeping files, and a COPY that brings a file again
 * unchanged (copying the dependency manifest first for the build cache, then the whole context).
 */
function expected(analysis: Analysis, tracked: TrackedEntry): boolean {
  if (BOOKKEEPING.test(tracked.path)) return true;
  return tracked.fate.kind === 'rewritten' && isCopy(analysis, tracked.fate.by);
}

/** A step as the advice names it: its Dockerfile line, cut to a readable length. */
function shortStep(instruction: Instruction): string {
  const line = dockerfileLine(instruction);
  return line.length <= 60 ? line : `${line.slice(0, 59)}…`;
}
