import { flagOnSourceCopy, metadataDuplicateRule } from '../metadata-duplicate-rule.js';

/** No linter id: hadolint cannot see layer contents; dive shows these files as "inefficient". */
export const chownDuplicate = metadataDuplicateRule({
  id: 'chown-duplicate',
  title: 'Files copied again only to change their owner',
  description:
    'A layer re-adds files whose content is identical (same sha256) to the layer below and only owner/group changed, typically `RUN chown -R`: every byte is stored twice.',
  related: [],
  reason: 'chown',
  adviceText:
    'Give ownership when the files are added: `COPY --chown=UID:GID`, or chown in the same RUN that creates the files.',
  rewrite: (analysis, upper, lowers) => flagOnSourceCopy(analysis, upper, lowers, 'chown'),
});
