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

/** Any of CACHE_LOCATIONS, as one pattern: one test per path. */
const ANY_CACHE_LOCATION = new RegExp(
  Object.values(CACHE_LOCATIONS)
    .map((pattern) => `(?:${pattern.source})`)
    .join('|'),
);

/** Words every location above holds: most paths hold none and skip the pattern. */
const CACHE_WORDS = ['cache', 'apt/lists/', '.npm/'];

export function isPackageCache(path: string): boolean {
  return CACHE_WORDS.some((word) => path.includes(word)) && ANY_CACHE_LOCATION.test(path);
}
