import { buildFinding } from '../finding-builder.js';
import { imageUser, isAlpine, isRootUser, lastUserStep } from '../image-user.js';
import { parseCreatedBy, dockerfileLine } from '../../model/index.js';
import type { Rule } from '../rule.js';

/** hadolint DL3002 ("Last USER should not be root"), dockle CIS-DI-0001 ("Create a user for the container"). */
export const runsAsRoot: Rule = {
  id: 'runs-as-root',
  severity: 'warning',
  title: 'Container runs as root',
  description: 'The image config sets no user, or root: `User` empty, `root`, `0`, `root:*` or `0:*`.',
  related: ['hadolint DL3002', 'dockle CIS-DI-0001'],
  detect(analysis, options) {
    const { user, raw } = imageUser(analysis);
    if (!isRootUser(user)) return [];
    const step = lastUserStep(analysis);
    const create = isAlpine(analysis)
      ? 'RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app app'
      : 'RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid 10001 --no-create-home app';
    return [
      buildFinding(
        this,
        analysis,
        {
          layerIndex: null,
          message:
            raw === ''
              ? 'The image sets no USER, so its processes run as root (UID 0).'
              : `The image's USER is "${raw}": its processes run as root (UID 0).`,
          advice: {
            text: 'Create a dedicated user and group with fixed numeric IDs and switch to it with a numeric USER before ENTRYPOINT/CMD; give it ownership of what it writes with COPY --chown.',
            dockerfile: {
              before:
                step === null ? '(no USER instruction)' : dockerfileLine(parseCreatedBy(step.createdBy)),
              after: `${create}\nUSER 10001:10001`,
            },
          },
        },
        options.maxPaths,
      ),
    ];
  },
};
