import { UsageError } from '../errors.js';

export const DOCKER_DAEMON_TRANSPORT = 'docker-daemon:';

/**
 * The image name of a `docker-daemon:NAME` argument, as the Docker Engine API accepts it
 * ("nginx:1.17", "sha256:..." image IDs, "host:5000/app:tag"); null when the argument has another transport.
 */
export function parseDaemonReference(input: string): string | null {
  if (!input.startsWith(DOCKER_DAEMON_TRANSPORT)) return null;
  const name = input.slice(DOCKER_DAEMON_TRANSPORT.length).trim();
  if (name === '' || /\s/.test(name)) {
    throw new UsageError(`invalid docker-daemon reference "${input}"`, {
      hint: 'write docker-daemon:NAME[:TAG] or docker-daemon:IMAGE-ID, e.g. docker-daemon:nginx:1.17',
    });
  }
  return name;
}
