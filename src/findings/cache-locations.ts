/**
 * Where package managers leave caches and indexes. Shared by the cache rules and by
 * `temp-files-left`, which leaves these paths to the more specific rules.
 */
export const CACHE_LOCATIONS = {
  aptLists: /^\/var\/lib\/apt\/lists\/.+/,
  aptArchives: /^\/var\/cache\/apt\/(?:[^/]+\.bin|archives\/(?:partial\/)?[^/]+\.deb)$/,
  apk: /^\/(?:var\/cache\/apk|etc\/apk\/cache)\/.+/,
  dnfYum: /^\/var\/cache\/(?:dnf|yum|libdnf5)\/.+/,
  pip: /(?:^|\/)\.cache\/pip\/.+/,
  npm: /(?:^|\/)\.npm\/(?:_cacache|_logs|_npx)\/.+/,
  yarn: /(?:^|\/)(?:\.cache\/yarn|\.yarn\/berry\/cache)\/.+/,
} as const;

export function isPackageCache(path: string): boolean {
  return Object.values(CACHE_LOCATIONS).some((pattern) => pattern.test(path));
}
