// Turns root filesystems on disk into image layers, as a builder snapshots a RUN step: the
// first layer holds a whole tree, a later one what changed from the tree before it (new or
// changed entries by type, size, mtime, mode and owner) plus whiteouts for what disappeared.
// /dev, /proc and /sys contents are left out, as container images have none.
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntrySpec } from './layer-writer.js';

const SKIPPED = new Set(['dev', 'proc', 'sys']);

interface Signature {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  text: string;
}

/** Every path below `root` (relative, no leading slash) with what identifies its version. */
export async function snapshotTree(root: string): Promise<Map<string, Signature>> {
  const out = new Map<string, Signature>();
  const walk = async (relative: string): Promise<void> => {
    const names = (await readdir(join(root, relative))).sort();
    for (const name of names) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const stat = await lstat(join(root, path));
      const kind = stat.isFile()
        ? 'file'
        : stat.isDirectory()
          ? 'dir'
          : stat.isSymbolicLink()
            ? 'symlink'
            : 'other';
      const target = kind === 'symlink' ? await readlink(join(root, path)) : '';
      out.set(path, {
        kind,
        text: `${kind} ${stat.size} ${stat.mtimeMs} ${stat.mode} ${stat.uid} ${stat.gid} ${target}`,
      });
      if (kind === 'dir' && !(relative === '' && SKIPPED.has(name))) await walk(path);
    }
  };
  await walk('');
  return out;
}

/**
 * The entries of a layer that takes `before` (null: nothing) to the tree at `root`. Files are
 * read one at a time as the tar is written; files sharing an inode become hard links.
 */
export function layerFromTree(
  root: string,
  after: Map<string, Signature>,
  before: Map<string, Signature> | null,
): () => AsyncIterable<EntrySpec> {
  return async function* entries() {
    const inodes = new Map<number, string>();
    for (const [path, signature] of after) {
      if (signature.kind === 'other') continue;
      if (before?.get(path)?.text === signature.text) continue;
      const full = join(root, path);
      const stat = await lstat(full);
      const owner = { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid };
      if (signature.kind === 'dir') {
        yield { type: 'dir', path, ...owner, mtime: stat.mtime };
      } else if (signature.kind === 'symlink') {
        yield { type: 'symlink', path, target: await readlink(full) };
      } else {
        const first = stat.nlink > 1 ? inodes.get(stat.ino) : undefined;
        if (first !== undefined) {
          yield { type: 'hardlink', path, target: first };
          continue;
        }
        if (stat.nlink > 1) inodes.set(stat.ino, path);
        yield { type: 'file', path, content: await readFile(full), ...owner, mtime: stat.mtime };
      }
    }
    if (before === null) return;
    for (const path of before.keys()) {
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : null;
      // A removed directory's whiteout covers what was below it.
      if (!after.has(path) && (parent === null || after.has(parent))) yield { type: 'whiteout', path };
    }
  };
}
