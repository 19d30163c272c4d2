import { flagOnSourceCopy, metadataDuplicateRule } from '../metadata-duplicate-rule.js';

/** No linter id: hadolint cannot see layer contents; dive shows these files as "inefficient". */
export const chmodDuplicate = metadataDuplicateRule({
  id: 'chmod-duplicate',
  title: 'Files copied again only to change their mode',
  description:
    'A layer re-adds files whose content is identical (same sha256) to the layer below and only the mode changed, typically `RUN chmod -R`: every byte is stored twice.',
  related: [],
  reason: 'chmod',
  adviceText:
    'Set the mode when the files are added: `COPY --chmod=MODE` (BuildKit), or chmod in the same RUN that creates the files.',
  rewrite: (analysis, upper, lowers) => flagOnSourceCopy(analysis, upper, lowers, 'chmod'),
});
