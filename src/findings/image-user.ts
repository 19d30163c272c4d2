import type { Analysis } from '../model/index.js';
import { visibleEntry } from './layer-timeline.js';

/** The config's `User` split into its user and group parts (`USER app:app`, `USER 10001`). */
export function imageUser(analysis: Analysis): { user: string; group: string | null; raw: string } {
  const raw = (analysis.config.config?.User ?? analysis.image.user ?? '').trim();
  const colon = raw.indexOf(':');
  return colon < 0
    ? { user: raw, group: null, raw }
    : { user: raw.slice(0, colon), group: raw.slice(colon + 1), raw };
}

export function isRootUser(user: string): boolean {
  return user === '' || user === 'root' || user === '0';
}

/** The history entry of the last USER instruction, if there was one. */
export function lastUserStep(analysis: Analysis): { createdBy: string; layerIndex: number | null } | null {
  for (let i = analysis.history.length - 1; i >= 0; i--) {
    const entry = analysis.history[i];
    if (entry !== undefined && /(?:^|#\(nop\)\s+)USER\s/.test(entry.createdBy)) {
      return { createdBy: entry.createdBy, layerIndex: entry.layerIndex };
    }
  }
  return null;
}

/** Alpine's busybox has addgroup/adduser; Debian, Ubuntu, RHEL have groupadd/useradd. */
export function isAlpine(analysis: Analysis): boolean {
  return analysis.finalFiles.has('/etc/alpine-release');
}

/** A name's numeric id in the final image's /etc/passwd (uid) or /etc/group (gid), if listed. */
export function accountId(
  analysis: Analysis,
  file: '/etc/passwd' | '/etc/group',
  name: string,
): number | null {
  const entry = visibleEntry(analysis, file);
  const found = entry?.entry.accountIds?.find(([account]) => account === name);
  return found === undefined ? null : found[1];
}
