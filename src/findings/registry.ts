import { apkCacheLeft } from './rules/apk-cache-left.js';
import { aptArchivesLeft } from './rules/apt-archives-left.js';
import { aptInstallRecommends } from './rules/apt-install-recommends.js';
import { aptListsLeft } from './rules/apt-lists-left.js';
import { archiveExtractedLater } from './rules/archive-extracted-later.js';
import { buildToolsShipped } from './rules/build-tools-shipped.js';
import { chmodDuplicate } from './rules/chmod-duplicate.js';
import { chownDuplicate } from './rules/chown-duplicate.js';
import { deletedInLaterLayer } from './rules/deleted-in-later-layer.js';
import { dnfYumCacheLeft } from './rules/dnf-yum-cache-left.js';
import { largeBaseImage } from './rules/large-base-image.js';
import { manySmallLayers } from './rules/many-small-layers.js';
import { nonNumericUser } from './rules/non-numeric-user.js';
import { npmCacheLeft } from './rules/npm-cache-left.js';
import { pipCacheLeft } from './rules/pip-cache-left.js';
import type { Rule } from './rule.js';
import { runsAsRoot } from './rules/runs-as-root.js';
import { secretsInImage } from './rules/secrets-in-image.js';
import { tempFilesLeft } from './rules/temp-files-left.js';

/** Every rule, in the order `imgscope rules` lists them. Ids are stable: configs refer to them. */
export const RULES: readonly Rule[] = [
  secretsInImage,
  runsAsRoot,
  nonNumericUser,
  aptListsLeft,
  aptArchivesLeft,
  aptInstallRecommends,
  apkCacheLeft,
  dnfYumCacheLeft,
  pipCacheLeft,
  npmCacheLeft,
  chownDuplicate,
  chmodDuplicate,
  archiveExtractedLater,
  deletedInLaterLayer,
  buildToolsShipped,
  tempFilesLeft,
  manySmallLayers,
  largeBaseImage,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
