/**
 * Whether a file of imgscope's cache may be trusted: the user's own, and writable by no one
 * else (a file another user wrote, or could have, is not ours). Where the system has no user ids
 * (Windows), every file passes. Apart from private-files.ts so that the start (the code cache)
 * checks it without loading what making private files needs (fs/promises).
 */
export function ownedPrivately(info: { uid: number; mode: number }): boolean {
  const uid = process.getuid?.();
  return uid === undefined || (info.uid === uid && (info.mode & 0o022) === 0);
}
