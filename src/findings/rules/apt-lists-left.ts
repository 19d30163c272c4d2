import { CACHE_LOCATIONS } from '../cache-locations.js';
import { fixAptRun, keepsAptArchives } from '../package-advice.js';
import { packageCacheRule } from '../package-cache-rule.js';

/** hadolint DL3009 and dockle DKL-DI-0005 check the Dockerfile / history for the same. */
export const aptListsLeft = packageCacheRule({
  id: 'apt-lists-left',
  severity: 'warning',
  title: 'apt package lists left in the image',
  description:
    'Files under /var/lib/apt/lists stored by any layer, also when a later layer deletes them (the bytes stay in the image).',
  related: ['hadolint DL3009', 'dockle DKL-DI-0005'],
  matches: (path) => CACHE_LOCATIONS.aptLists.test(path),
  what: 'apt package lists',
  adviceText:
    'Remove the lists in the same RUN that ran apt-get update: end it with `rm -rf /var/lib/apt/lists/*`. Deleting them in a later RUN does not make the image smaller.',
  fallbackText:
    'The lists come from a step that is not a RUN; make sure they are not copied in (.dockerignore) and that the RUN that runs apt-get update ends with `rm -rf /var/lib/apt/lists/*`.',
  fix: (command, layerEntries) => fixAptRun(command, { clean: keepsAptArchives(layerEntries) }),
});
