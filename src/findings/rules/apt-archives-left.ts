import { CACHE_LOCATIONS } from '../cache-locations.js';
import { fixAptRun } from '../package-advice.js';
import { packageCacheRule } from '../package-cache-rule.js';

/** dockle DKL-DI-0005 ("Clear apt-get caches") covers the same ground from the history side. */
export const aptArchivesLeft = packageCacheRule({
  id: 'apt-archives-left',
  severity: 'warning',
  title: 'apt package caches (.deb, .bin) left in the image',
  description:
    'Downloaded packages (/var/cache/apt/archives/*.deb) and apt cache files (/var/cache/apt/*.bin) stored by any layer, also when deleted later.',
  related: ['dockle DKL-DI-0005'],
  matches: (path) => CACHE_LOCATIONS.aptArchives.test(path),
  what: 'apt package caches',
  adviceText:
    'Run `apt-get clean` (and remove the lists) at the end of the same RUN that installs the packages.',
  fallbackText:
    'The caches come from a step that is not a RUN; keep them out of the build context (.dockerignore) and end apt RUNs with `apt-get clean`.',
  fix: (command) => fixAptRun(command, { clean: true }),
});
