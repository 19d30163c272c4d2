// Writes outer archives (docker-archive, oci-archive, "not an image" tars) member by member;
// file members can come from disk so layers are copied in chunks, never loaded whole.
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Pack } from 'tar-stream';
import { packBuffer, packStreamed, type TarHeader } from './layer-writer.js';

export type ArchiveMember =
  | { name: string; type?: 'file'; content: string | Buffer; mode?: number; mtime?: Date }
  | { name: string; type?: 'file'; fromFile: string; mode?: number; mtime?: Date }
  | { name: string; type: 'dir'; mode?: number; mtime?: Date }
  | { name: string; type: 'symlink'; target: string; mtime?: Date };

/** Archive tools (docker save, skopeo) stamp their own members with the epoch. */
const EPOCH = new Date(0);

async function addMember(pack: Pack, m: ArchiveMember): Promise<void> {
  const mtime = m.mtime ?? EPOCH;
  if (m.type === 'dir') {
    const name = m.name.endsWith('/') ? m.name : `${m.name}/`;
    return packBuffer(pack, { name, type: 'directory', mode: m.mode ?? 0o755, mtime });
  }
  if (m.type === 'symlink') {
    return packBuffer(pack, { name: m.name, type: 'symlink', linkname: m.target, mode: 0o777, mtime });
  }
  const header: TarHeader = { name: m.name, type: 'file', mode: m.mode ?? 0o644, mtime };
  if ('content' in m) {
    const body = typeof m.content === 'string' ? Buffer.from(m.content) : m.content;
    header.size = body.length;
    return packBuffer(pack, header, body);
  }
  header.size = (await lstat(m.fromFile)).size;
  if (!header.size) return packBuffer(pack, header);
  return packStreamed(pack, header, createReadStream(m.fromFile, { highWaterMark: 256 * 1024 }));
}

/** Writes an uncompressed tar with the members in the given order. */
export async function writeArchive(
  file: string,
  members: Iterable<ArchiveMember> | AsyncIterable<ArchiveMember>,
): Promise<void> {
  const pack = tar.pack();
  const produce = (async () => {
    try {
      for await (const m of members) await addMember(pack, m);
      pack.finalize();
    } catch (err) {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  })();
  await Promise.all([produce, pipeline(Readable.from(pack, { objectMode: false }), createWriteStream(file))]);
}

/** A plain tar from name/content pairs: for "this is not an image" inputs. */
export async function writeTar(
  file: string,
  entries: { name: string; content?: string | Buffer; type?: 'file' | 'dir'; mode?: number }[],
): Promise<void> {
  await writeArchive(
    file,
    entries.map((e): ArchiveMember =>
      e.type === 'dir'
        ? { name: e.name, type: 'dir', mode: e.mode }
        : { name: e.name, content: e.content ?? '', mode: e.mode },
    ),
  );
}

/**
 * Members of a directory tree in the order Go's filepath.Walk gives them (each directory
 * sorted by name, a directory before its contents): what `docker save` and skopeo's
 * oci-archive produce when they tar a staging directory.
 */
export async function* walkMembers(root: string, prefix = ''): AsyncGenerator<ArchiveMember> {
  const names = (await readdir(join(root, prefix))).sort();
  for (const name of names) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = await lstat(join(root, rel));
    if (st.isDirectory()) {
      yield { name: `${rel}/`, type: 'dir' };
      yield* walkMembers(root, rel);
    } else if (st.isSymbolicLink()) {
      yield { name: rel, type: 'symlink', target: await readlink(join(root, rel)) };
    } else {
      yield { name: rel, fromFile: join(root, rel) };
    }
  }
}
