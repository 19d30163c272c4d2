import { apkCacheLeft } from './apk-cache-left.js';
import { aptArchivesLeft } from './apt-archives-left.js';
import { aptInstallRecommends } from './apt-install-recommends.js';
import { aptListsLeft } from './apt-lists-left.js';
import { archiveExtractedLater } from './archive-extracted-later.js';
import { buildToolsShipped } from './build-tools-shipped.js';
import { chmodDuplicate } from './chmod-duplicate.js';
import { chownDuplicate } from './chown-duplicate.js';
import { deletedInLaterLayer } from './deleted-in-later-layer.js';
import { dnfYumCacheLeft } from './dnf-yum-cache-left.js';
import { largeBaseImage } from './large-base-image.js';
import { manySmallLayers } from './many-small-layers.js';
import { nonNumericUser } from './non-numeric-user.js';
import { npmCacheLeft } from './npm-cache-left.js';
import { pipCacheLeft } from './pip-cache-left.js';
import type { Rule } from './rule.js';
import { runsAsRoot } from './runs-as-root.js';
import { secretsInImage } from './secrets-in-image.js';
import { tempFilesLeft } from './temp-files-left.js';

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
