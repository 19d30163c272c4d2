import { CACHE_LOCATIONS } from '../cache-locations.js';
import { fixApkRun } from '../package-advice.js';
import { packageCacheRule } from '../package-cache-rule.js';

/** hadolint DL3019 and dockle DKL-DI-0004 ask for `apk add --no-cache`. */
export const apkCacheLeft = packageCacheRule({
  id: 'apk-cache-left',
  severity: 'warning',
  title: 'apk package cache left in the image',
  description: 'Files under /var/cache/apk (Alpine) stored by any layer, also when deleted later.',
  related: ['hadolint DL3019', 'dockle DKL-DI-0004'],
  matches: (path) => CACHE_LOCATIONS.apk.test(path),
  what: 'the apk cache',
  adviceText: 'Use `apk add --no-cache`: it neither needs `apk update` nor leaves the index behind.',
  fallbackText: 'The cache comes from a step that is not a RUN; install packages with `apk add --no-cache`.',
  fix: fixApkRun,
});
