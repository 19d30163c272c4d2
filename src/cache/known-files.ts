/**
 * What earlier runs learned of a local file, kept between runs while the file is unchanged:
 * the sha256 of its regions (a docker-archive's layers and config) and, for a tar, where its
 * members lie. `ROOT/known-files/DEV-INO`, one small JSON record per file, so that analyzing
 * the same archive again neither hashes its layers to find their stored results nor reads its
 * tar headers again (a small image's warm run then loads no hash library at all).
 *
 * A record is trusted as git's index and Bazel's digest cache trust a file's stat: the same
 * device and inode, size, modification and change time (in ns) as when it was made. The
 * change time is the guard: every write sets it to the current time and no user can set it
 * back. So that a write in the same clock tick as the file's last change cannot go unseen, a
 * record is written only for a file whose change time is at least SETTLED_MS older than the run
 * that read it, and still the same at the end of that run (nothing wrote to it meanwhile); and
 * only on Linux filesystems known to keep a change time of their own (statfs): not network or
 * FUSE filesystems, whose times come from elsewhere. Records are private (the cache's 0700
 * tree), written through a temporary file and a rename, touched when used and the least
 * recently used removed past MAX_BYTES; a record that is not what it should be is ignored.
 */
import { closeSync, fstatSync, futimesSync, openSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { fileState, sameState, type FileRegion, type FileState } from '../layers/index.js';
import { ownedPrivately } from '../owned-privately.js';
import { writeEntry } from './cache-files.js';
import { KNOWN_FILES_DIR } from './cache-root.js';
import {
  directoryUsage,
  pruneDirectory,
  removeLeastRecentlyUsed,
  usedFilesIn,
  type DirectoryUsage,
} from './least-recently-used.js';

/** How much older than the run that hashed it a file's last change must be to be recorded. */
export const SETTLED_MS = 2000;

/** The records' cap (some 100 bytes a layer or member: thousands of archives). */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * Linux filesystems (statfs's f_type) whose change time is the kernel's own, set on every write:
 * ext2/3/4, XFS, Btrfs, tmpfs, overlayfs (a container's root), ZFS, F2FS.
 */
const OWN_CHANGE_TIME = new Set([
  0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x794c7630, 0x2fc12fc1, 0xf2f52010,
]);

/** Where a member of a tar lies: its body's offset and size. */
export interface TarMember {
  offset: number;
  size: number;
}

interface FileRecord {
  /** The file's state as this run first saw it (null: it could not be stat'ed). */
  state: FileState | null;
  /** The digests stored for this state, by region ("OFFSET+LENGTH"). */
  stored: ReadonlyMap<string, string>;
  /** The tar members stored for this state; null: none. */
  storedMembers: ReadonlyMap<string, TarMember> | null;
  /** The digests this run computed, to store. */
  found: Map<string, string>;
  /** The tar members this run indexed, to store; null: none. */
  foundMembers: ReadonlyMap<string, TarMember> | null;
}

interface StoredRecord {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  /** When the run that read the file began (ms since the epoch). */
  readAfterMs: number;
  regions: Record<string, string>;
  /** The tar's members: name, body offset, size. */
  members?: [string, number, number][];
}

export class KnownFiles {
  readonly #dir: string;
  readonly #startedMs: number;
  readonly #files = new Map<string, FileRecord>();

  /** `startedMs`: when this run began, before anything was read (default: the process's start). */
  constructor(
    readonly root: string,
    options: { startedMs?: number } = {},
  ) {
    this.#dir = join(root, KNOWN_FILES_DIR);
    // Not performance.timeOrigin: the `performance` global loads node:perf_hooks, ~3 ms of a start.
    this.#startedMs = options.startedMs ?? Date.now() - process.uptime() * 1000;
  }

  /**
   * The sha256 ("sha256:...") that `region` had when an earlier run hashed it, where its file is
   * unchanged since this run first looked at it; null otherwise. For a region whose results are
   * used without reading it (a stored layer result): the run describes the file as it was then.
   */
  digest(region: FileRegion): string | null {
    return this.#file(region.path).stored.get(regionKey(region)) ?? null;
  }

  /**
   * `digest`, for bytes just read from `region` that the caller relies on (a config): the file
   * is stat'ed again, so that a write since the run first looked at it (the bytes read may be
   * the new ones) finds nothing.
   */
  digestAfterReading(region: FileRegion): string | null {
    const file = this.#file(region.path);
    const now = fileState(region.path);
    if (file.state === null || now === null || !sameState(now, file.state)) return null;
    return file.stored.get(regionKey(region)) ?? null;
  }

  /** Notes that `region` hashed to `digest` in this run, for `save` to store. */
  rememberDigest(region: FileRegion, digest: string): void {
    const file = this.#file(region.path);
    if (file.stored.get(regionKey(region)) !== digest) file.found.set(regionKey(region), digest);
  }

  /**
   * Where the members of the tar at `path` lie, as an earlier run indexed it, unchanged since;
   * null where none did. Asked before anything of the file is read.
   */
  members(path: string): ReadonlyMap<string, TarMember> | null {
    return this.#file(path).storedMembers;
  }

  /** Notes the members this run indexed in the tar at `path`, for `save` to store. */
  rememberMembers(path: string, members: ReadonlyMap<string, TarMember>): void {
    this.#file(path).foundMembers = members;
  }

  /**
   * Stores what this run found, for each file that qualifies (see above). Never fails: a cache
   * that cannot be written only means reading and hashing again next time.
   */
  async save(): Promise<void> {
    let written = false;
    for (const [path, file] of this.#files) {
      if ((file.found.size === 0 && file.foundMembers === null) || file.state === null) continue;
      const now = fileState(path);
      if (
        now === null ||
        !sameState(now, file.state) ||
        !settledBefore(now, this.#startedMs) ||
        !ownChangeTime(path)
      )
        continue;
      const members = file.foundMembers ?? file.storedMembers;
      const record: StoredRecord = {
        ...stateText(now),
        readAfterMs: this.#startedMs,
        regions: Object.fromEntries([...file.stored, ...file.found]),
        ...(members === null
          ? {}
          : {
              members: [...members].map(([name, { offset, size }]): [string, number, number] => [
                name,
                offset,
                size,
              ]),
            }),
      };
      const name = recordName(now);
      try {
        await writeEntry(this.root, name, join(this.#dir, name), Buffer.from(JSON.stringify(record)));
      } catch {
        continue;
      }
      file.found.clear();
      file.foundMembers = null;
      written = true;
    }
    // Once for the run, however many files it recorded (an image directory's: one a layer).
    if (written)
      await removeLeastRecentlyUsed(await usedFilesIn(this.#dir), MAX_BYTES).catch(() => undefined);
  }

  #file(path: string): FileRecord {
    let file = this.#files.get(path);
    if (file === undefined) {
      const state = fileState(path);
      const record = state === null ? null : this.#record(path, state);
      file = {
        state,
        stored: storedDigests(record),
        storedMembers: storedMembers(record),
        found: new Map(),
        foundMembers: null,
      };
      this.#files.set(path, file);
    }
    return file;
  }

  /** The record of the file in `state`; null where there is none that holds. */
  #record(path: string, state: FileState): Partial<StoredRecord> | null {
    const record = readRecord(join(this.#dir, recordName(state)));
    if (record === null) return null;
    const same = Object.entries(stateText(state)).every(
      ([field, value]) => record[field as keyof StoredRecord] === value,
    );
    const settled = typeof record.readAfterMs === 'number' && settledBefore(state, record.readAfterMs);
    return same && settled && ownChangeTime(path) ? record : null;
  }
}

/** Whether the file last changed at least SETTLED_MS before a run that began at `runStartMs`. */
function settledBefore(state: FileState, runStartMs: number): boolean {
  return state.ctimeNs <= BigInt(Math.floor(runStartMs - SETTLED_MS)) * 1_000_000n;
}

function storedDigests(record: Partial<StoredRecord> | null): Map<string, string> {
  const regions = record?.regions;
  if (typeof regions !== 'object' || regions === null) return new Map();
  return new Map(Object.entries(regions).filter(([, digest]) => typeof digest === 'string'));
}

/** The record's members; null where it has none, or one is not a name, an offset and a size. */
function storedMembers(record: Partial<StoredRecord> | null): Map<string, TarMember> | null {
  const members: unknown = record?.members;
  if (!Array.isArray(members)) return null;
  const map = new Map<string, TarMember>();
  for (const member of members as unknown[]) {
    if (!Array.isArray(member) || member.length !== 3) return null;
    const [name, offset, size] = member as unknown[];
    if (typeof name !== 'string' || !isCount(offset) || !isCount(size)) return null;
    map.set(name, { offset, size });
  }
  return map;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Files and bytes of the records (`cache list`). */
export function knownFilesUsage(root: string): Promise<DirectoryUsage> {
  return directoryUsage(join(root, KNOWN_FILES_DIR));
}

/** Removes the records, or those not used for `olderThanMs` (`cache prune`). */
export function pruneKnownFiles(
  root: string,
  options: { olderThanMs?: number } = {},
): Promise<DirectoryUsage> {
  return pruneDirectory(join(root, KNOWN_FILES_DIR), options);
}

function regionKey(region: FileRegion): string {
  return `${region.offset}+${region.length}`;
}

function recordName(state: FileState): string {
  return `${state.dev}-${state.ino}`;
}

function stateText(state: FileState): Pick<StoredRecord, 'dev' | 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'> {
  return {
    dev: String(state.dev),
    ino: String(state.ino),
    size: String(state.size),
    mtimeNs: String(state.mtimeNs),
    ctimeNs: String(state.ctimeNs),
  };
}

/** Whether the file lies on a filesystem of OWN_CHANGE_TIME (Linux only: elsewhere nothing is trusted). */
function ownChangeTime(path: string): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return OWN_CHANGE_TIME.has(statfsSync(path).type);
  } catch {
    return false;
  }
}

/** The record at `path`, marked as used; null where there is none or it is not a JSON object. */
function readRecord(path: string): Partial<StoredRecord> | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    // Only the user's own record: one another user wrote could vouch for any file.
    if (!ownedPrivately(fstatSync(fd))) return null;
    const now = Date.now() / 1000;
    try {
      futimesSync(fd, now, now);
    } catch {
      // A read-only cache: used, only not marked as used.
    }
    const value: unknown = JSON.parse(readFileSync(fd, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Partial<StoredRecord>) : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
