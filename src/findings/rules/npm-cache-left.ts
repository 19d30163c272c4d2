import type { EntryTable } from '../../model/index.js';
import { CACHE_LOCATIONS } from '../cache-locations.js';
import { fixNpmRun } from '../package-advice.js';
import { packageCacheRule } from '../package-cache-rule.js';

/** hadolint DL3060 asks for `yarn cache clean` after `yarn install`. */
export const npmCacheLeft = packageCacheRule({
  id: 'npm-cache-left',
  severity: 'warning',
  title: 'npm or yarn cache left in the image',
  description:
    "npm's cache (~/.npm/_cacache) or yarn's (~/.cache/yarn, .yarn/berry/cache) stored by any layer, also when deleted later.",
  related: ['hadolint DL3060'],
  matches: (path) => CACHE_LOCATIONS.npm.test(path) || CACHE_LOCATIONS.yarn.test(path),
  what: 'the npm/yarn cache',
  adviceText:
    'End the RUN that installs dependencies with `npm cache clean --force` (`yarn cache clean` for yarn), or use a cache mount (`RUN --mount=type=cache,target=/root/.npm`).',
  fallbackText:
    'The cache comes from a step that is not a RUN; keep it out of the build context (.dockerignore).',
  fix: (command, layerEntries) => fixNpmRun(command, usesYarn(layerEntries) ? 'yarn' : 'npm'),
});

function usesYarn(entries: EntryTable): boolean {
  return entries.some((entry) => entry.type === 'file' && CACHE_LOCATIONS.yarn.test(entry.path));
}
