import { CACHE_LOCATIONS } from '../cache-locations.js';
import { fixPipRun } from '../package-advice.js';
import { packageCacheRule } from '../package-cache-rule.js';

/** hadolint DL3042 asks for `pip install --no-cache-dir`. */
export const pipCacheLeft = packageCacheRule({
  id: 'pip-cache-left',
  severity: 'warning',
  title: 'pip cache left in the image',
  description: "pip's HTTP and wheel cache (~/.cache/pip) stored by any layer, also when deleted later.",
  related: ['hadolint DL3042'],
  matches: (path) => CACHE_LOCATIONS.pip.test(path),
  what: "pip's cache",
  adviceText: 'Install with `pip install --no-cache-dir` so pip keeps no cache in the layer.',
  fallbackText:
    'The cache comes from a step that is not a RUN; keep ~/.cache out of the build context and use `pip install --no-cache-dir`.',
  fix: fixPipRun,
});
