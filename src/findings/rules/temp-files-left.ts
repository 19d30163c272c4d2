import { type Analysis, plural } from '../../model/index.js';
import { isPackageCache } from '../cache-locations.js';
import { buildFinding, bytesText, sumClaims } from '../finding-builder.js';
import { layerInstruction, runRewrite } from '../layer-instruction.js';
import { selection, timelineOf, type TrackedEntry } from '../layer-timeline.js';
import { appendStep } from '../run-rewrite.js';
import { WORTH_TEXT, type Rule, type RuleFinding, type RuleOptions } from '../rule.js';

const TEMP = /^\/(?:tmp|var\/tmp|root\/\.cache)\/./;
const GIT = /(?:^|\/)\.git\//;
/** What TEMP's and GIT's paths hold, for the walk's offer. */
const TEMP_OR_GIT = /\/tmp\/|\/root\/\.cache\/|\.git\//;
/** Non-empty files of the final filesystem in a temporary directory (package caches aside) or a .git directory. */
const LEFT = selection(
  (entry) => {
    if (!entry.visible || entry.type !== 'file' || entry.size === 0) return false;
    const path = entry.path;
    return GIT.test(path) || (TEMP.test(path) && !isPackageCache(path));
  },
  { paths: TEMP_OR_GIT },
);

/**
 * dockle DKL-LI-0003 ("Only put necessary files") flags similar leftovers. Files deleted by a later
 * layer are `deleted-in-later-layer`'s; package caches under ~/.cache are the cache rules'.
 */
export const tempFilesLeft: Rule = {
  id: 'temp-files-left',
  severity: 'warning',
  title: 'Temporary files left in the image',
  description: `Files in the final filesystem under /tmp, /var/tmp and /root/.cache (package caches aside), and .git directories copied into the image. ${WORTH_TEXT}`,
  bySize: true,
  related: ['dockle DKL-LI-0003'],
  detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
    const groups = new Map<string, { layer: number; git: boolean; files: TrackedEntry[] }>();
    for (const tracked of timelineOf(analysis).selected(LEFT)) {
      const git = GIT.test(tracked.path);
      const key = `${tracked.layer}:${git}`;
      const group = groups.get(key) ?? { layer: tracked.layer, git, files: [] };
      group.files.push(tracked);
      groups.set(key, group);
    }
    return [...groups.values()].map(({ layer, git, files }) => {
      const claims = files.map((t) => t.claim());
      const bytes = sumClaims(claims);
      if (git) {
        const roots = [
          ...new Set(files.map((t) => t.entry.path.slice(0, t.entry.path.search(GIT) + '/.git'.length))),
        ];
        return buildFinding(
          this,
          analysis,
          {
            layerIndex: layer,
            title: 'Git repository copied into the image',
            message: `Layer ${layer} copies ${roots.join(', ')} (${plural(files.length, 'file')}, ${bytesText(bytes)}) into the image.`,
            claims,
            advice: {
              text: 'Add `.git` to .dockerignore: the history is not needed at run time and can leak code and credentials.',
              dockerfile: { before: '# .dockerignore (no .git entry)', after: '# .dockerignore\n.git' },
            },
          },
          options.maxPaths,
        );
      }
      const dirs = [
        ...new Set(files.map((t) => /^\/(?:tmp|var\/tmp|root\/\.cache)/.exec(t.entry.path)?.[0] ?? '')),
      ];
      const isRun = layerInstruction(analysis, layer).keyword === 'RUN';
      const rewrite = runRewrite(analysis, layer, (command) =>
        appendStep(command, `rm -rf ${dirs.map((d) => `${d}/*`).join(' ')}`),
      );
      return buildFinding(
        this,
        analysis,
        {
          layerIndex: layer,
          message: `Layer ${layer} leaves ${plural(files.length, 'file')} (${bytesText(bytes)}) under ${dirs.join(', ')} in the final image.`,
          claims,
          ...(rewrite === undefined ? {} : { edit: rewrite.edit }),
          advice: {
            text: isRun
              ? 'Remove temporary files at the end of the RUN that creates them.'
              : 'Do not copy temporary files into the image: list them in .dockerignore.',
            ...(rewrite === undefined ? {} : { dockerfile: rewrite.dockerfile }),
          },
        },
        options.maxPaths,
      );
    });
  },
};
