import { posix } from 'node:path';
import { abbreviate } from './warning-list.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
/** AUFS metadata names (".wh..wh.plnk" ...): not files, never applied. */
const AUFS_META_PREFIX = '.wh..wh.';
/**
 * Linux's PATH_MAX: the kernel refuses longer paths (ENAMETOOLONG), so no runtime can create
 * such an entry. Refusing them also bounds the work per entry (10,000-deep nesting).
 */
export const MAX_PATH_BYTES = 4096;

export type ClassifiedPath =
  | { kind: 'path'; path: string }
  | { kind: 'whiteout'; path: string }
  | { kind: 'opaque'; path: string }
  | { kind: 'root' }
  | { kind: 'ignored'; reason: string };

/**
 * Normalises a tar entry name to an absolute path ("./a//b/" -> "/a/b") and recognises whiteout
 * markers. Names that climb above the root ("../etc/passwd") are refused, never followed.
 */
export function classifyEntryName(name: string): ClassifiedPath {
  const path = normalizePath(name);
  if (path === null) return { kind: 'ignored', reason: `entry "${abbreviate(name)}" escapes the image root` };
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most paths need no counting of their bytes.
  if (path.length > MAX_PATH_BYTES / 3 && Buffer.byteLength(path) > MAX_PATH_BYTES) {
    return {
      kind: 'ignored',
      reason: `entry "${abbreviate(name)}" is longer than PATH_MAX (${MAX_PATH_BYTES} bytes), which no runtime can create`,
    };
  }
  if (path === '/') return { kind: 'root' };
  // Opaque markers, whiteouts and AUFS names all have a name that starts with ".wh.": without
  // one, the path is a path (nearly every entry), and its name and directory need no slicing.
  if (!path.includes(`/${WHITEOUT_PREFIX}`)) return { kind: 'path', path };
  const slash = path.lastIndexOf('/');
  const dir = slash === 0 ? '/' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', path: dir };
  if (path.includes(`/${AUFS_META_PREFIX}`)) return { kind: 'ignored', reason: `AUFS metadata "${name}"` };
  if (base.startsWith(WHITEOUT_PREFIX)) {
    const target = base.slice(WHITEOUT_PREFIX.length);
    // ".wh." alone would delete its own directory (the root, even): no runtime applies it.
    if (target === '') return { kind: 'ignored', reason: `whiteout "${abbreviate(name)}" names no path` };
    return { kind: 'whiteout', path: flatJoin(dir === '/' ? '' : dir, target) };
  }
  return { kind: 'path', path };
}

const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** "/a/./b/../c/" -> "/a/c"; null when ".." climbs above the root. */
export function normalizePath(name: string): string | null {
  // Most names are already normal: one pass of checks, no splitting (deep paths are long).
  if (!name.includes('//') && !DOT_SEGMENT.test(name)) {
    const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
    return trimmed.startsWith('/') ? trimmed : flatJoin('', trimmed);
  }
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return '/' + parts.join('/');
}

/**
 * Joins with "/" into one flat string. A layer keeps a string per entry, and V8 makes "/" + name
 * a rope (plus a slice holding the whole tar name) that costs three to five times the characters
 * until something flattens it; Array.prototype.join writes the characters once.
 */
function flatJoin(...parts: string[]): string {
  return parts.join('/');
}

/** Resolves a hard link target (relative to the root, as tar writes it) to an absolute path. */
export function resolveHardlinkTarget(target: string): string | null {
  return normalizePath(target);
}

export const parentDir = (path: string): string => posix.dirname(path);
