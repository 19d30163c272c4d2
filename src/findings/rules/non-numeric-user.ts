import { buildFinding } from '../finding-builder.js';
import { accountId, imageUser, isRootUser, lastUserStep } from '../image-user.js';
import { dockerfileLine, parseCreatedBy } from '../../model/index.js';
import type { Rule } from '../rule.js';

/**
 * Kubernetes `runAsNonRoot` can only verify a numeric UID; a named user makes the kubelet refuse
 * the pod ("image has non-numeric user ... cannot verify user is non-root"). No linter id.
 */
export const nonNumericUser: Rule = {
  id: 'non-numeric-user',
  severity: 'warning',
  title: 'USER is a name, not a numeric UID',
  description:
    'The config `User` names a user (`app`, `app:app`) instead of a UID: Kubernetes runAsNonRoot cannot verify it and refuses to start the pod.',
  related: [],
  detect(analysis, options) {
    const { user, group, raw } = imageUser(analysis);
    if (isRootUser(user) || /^\d+$/.test(user)) return [];
    const step = lastUserStep(analysis);
    const uid = accountId(analysis, '/etc/passwd', user);
    const gid = group === null || /^\d+$/.test(group) ? group : accountId(analysis, '/etc/group', group);
    const groupPart = group === null ? '' : `:${gid ?? '<gid>'}`;
    const known = uid === null ? '' : ` (${user} is uid ${uid} in the image's /etc/passwd)`;
    return [
      buildFinding(
        this,
        analysis,
        {
          layerIndex: null,
          message: `The image's USER is "${raw}", a name: Kubernetes runAsNonRoot cannot check that it is not root.`,
          advice: {
            text:
              uid === null
                ? `Use the numeric UID (and GID) of "${user}" in USER, e.g. the one given to useradd/adduser with --uid (\`id -u ${user}\` in the image prints it).`
                : `Use the numeric UID (and GID) in USER${known}; Kubernetes can then check runAsNonRoot.`,
            dockerfile: {
              before: step === null ? `USER ${raw}` : dockerfileLine(parseCreatedBy(step.createdBy)),
              after: `USER ${uid ?? '<uid>'}${groupPart}`,
            },
          },
        },
        options.maxPaths,
      ),
    ];
  },
};
