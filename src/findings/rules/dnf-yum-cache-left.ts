import { CACHE_LOCATIONS } from '../cache-locations.js';
import { fixDnfYumRun } from '../package-advice.js';
import { packageCacheRule } from '../package-cache-rule.js';

/** hadolint DL3032 (`yum clean all`) and DL3040 (`dnf clean all`) check the Dockerfile for this. */
export const dnfYumCacheLeft = packageCacheRule({
  id: 'dnf-yum-cache-left',
  severity: 'warning',
  title: 'dnf/yum package cache left in the image',
  description:
    'Files under /var/cache/dnf, /var/cache/yum or /var/cache/libdnf5 stored by any layer, also when deleted later.',
  related: ['hadolint DL3032', 'hadolint DL3040'],
  matches: (path) => CACHE_LOCATIONS.dnfYum.test(path),
  what: 'the dnf/yum cache',
  adviceText:
    'End the RUN that installs packages with `dnf clean all` (`yum clean all`, `microdnf clean all`).',
  fallbackText: 'The cache comes from a step that is not a RUN; end package installs with `dnf clean all`.',
  fix: fixDnfYumRun,
});
