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

/**
 * One of the words every location above holds ("cache", "apt/lists/", ".npm/"): most paths hold
 * none and skip the pattern. Written out, not a list's `some`: the shared walk asks this of every
 * stored file, in code that runs once (a callback per word cost 0.8 us a path there).
 */
function hasCacheWord(path: string): boolean {
  return path.includes('cache') || path.includes('apt/lists/') || path.includes('.npm/');
}

/** `hasCacheWord`'s words as a pattern: what a walk offers the cache rules (see Offer). */
export const CACHE_WORDS = /cache|apt\/lists\/|\.npm\//;

export function isPackageCache(path: string): boolean {
  return hasCacheWord(path) && ANY_CACHE_LOCATION.test(path);
}
