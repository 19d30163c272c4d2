import type { FileList, FilePeek } from '../model/index.js';

/** Symlinks followed while resolving one path before giving up (the kernel's limit). */
const MAX_SYMLINKS = 40;

/**
 * Finds the final-filesystem file a package list names. Lists name paths as the package ships
 * them; on a merged-/usr system `/bin/bash` is stored at `/usr/bin/bash` behind the `/bin`
 * symlink, so symlinked parent directories are followed (the last component is not: a listed
 * symlink is the symlink). Resolved directories are remembered; loops end as "not found".
 */
export class FinalPaths {
  readonly #directories = new Map<string, string | null>();

  constructor(private readonly files: FileList) {}

  /**
   * Writes what `FileList.peek` gives of the file `path` names into `into` and returns the path
   * it is stored at; null (`into` untouched) where there is none.
   */
  peek(path: string, into: FilePeek): string | null {
    if (this.files.peek(path, into)) return path;
    // Every ancestor of a final directory is a directory: resolving them finds it again, no file
    // (lists name their directories: a third of a Debian image's listed paths).
    if (this.files.isDirectory(path)) return null;
    const slash = path.lastIndexOf('/');
    if (slash <= 0) return null;
    const directory = this.#realDirectory(path.slice(0, slash), 0);
    if (directory === null || directory === path.slice(0, slash)) return null;
    const stored = `${directory}${path.slice(slash)}`;
    return this.files.peek(stored, into) ? stored : null;
  }

  /** The directory's path with every symlink in it followed; null when it cannot be resolved. */
  #realDirectory(path: string, depth: number): string | null {
    if (path === '' || path === '/') return '';
    const known = this.#directories.get(path);
    if (known !== undefined) return known;
    if (depth > MAX_SYMLINKS) return null;
    const slash = path.lastIndexOf('/');
    const parent = this.#realDirectory(path.slice(0, slash), depth);
    let real: string | null = parent === null ? null : `${parent}${path.slice(slash)}`;
    const link = real === null ? undefined : this.files.get(real);
    if (link?.type === 'symlink' && link.linkTarget !== null && real !== null) {
      const target = link.linkTarget.startsWith('/')
        ? link.linkTarget
        : `${real.slice(0, real.lastIndexOf('/'))}/${link.linkTarget}`;
      real = this.#realDirectory(normalize(target), depth + 1);
    }
    this.#directories.set(path, real);
    return real;
  }
}

/** `/a/./b/../c` -> `/a/c` (the root is ""); `..` above the root stays at the root, as the kernel resolves it. */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? '' : `/${parts.join('/')}`;
}
