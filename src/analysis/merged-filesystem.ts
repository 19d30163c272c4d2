import { TYPE_CODE, type FilesystemMetrics, type LayerChanges, type LayerContents } from '../model/index.js';
import { abbreviate, WarningList } from '../layers/index.js';
import { FateTable } from './entry-fates.js';
import { ChangeTracker, NOTHING } from './layer-changes.js';
import { LayerStack } from './layer-stack.js';
import { HardLinks } from './hard-links.js';
import { MergedFiles } from './merged-files.js';

/** What a path holds, besides the serial of a non-directory entry. */
const ABSENT = -2;
const DIRECTORY = -3;

/**
 * Applies the layers as a container runtime does (OCI image spec, "Applying changesets"):
 * whiteouts and opaque markers hide what the layers below hold, a later entry replaces an earlier
 * one, a non-directory replaces a directory with everything in it. Measures what each layer
 * added, modified and removed (its net effect, see ChangeTracker), what squashing the image
 * would reclaim, and what became of every stored entry. Entries that cannot mean what they say
 * (a whiteout of nothing, a hard link to nothing) are applied as a runtime would and reported in
 * `warnings`. The state is one number per path: the serial of the entry holding it, ABSENT or
 * DIRECTORY.
 */
export function mergeLayers(
  layers: readonly LayerContents[],
  stack: LayerStack = new LayerStack(layers),
): FilesystemMetrics {
  const { paths, pathIds, entries } = stack;
  const { serials, tables, typeCodes } = entries;
  const held = new Int32Array(paths.size).fill(ABSENT);
  held[0] = DIRECTORY;
  const fates = new FateTable(serials);
  const links = new HardLinks(serials.total, stack.linkTargetIds !== null);
  const warnings: string[] = [];
  let storedBytes = 0;

  const hashOf = (serial: number): string | null => links.hashOf(entries, serial);
  const stateOf = (id: number): number => Math.max(held[id] ?? ABSENT, NOTHING);

  const layerChanges = layers.map((_, layer): LayerChanges => {
    const label = `layer ${layer}`;
    const layerWarnings = new WarningList(label);
    const tracker = new ChangeTracker(entries, layer, hashOf);
    const table = tables[layer];
    const start = serials.start(layer);
    const end = serials.end(layer);

    /** Removes a subtree (or only what is below it), noting each path's state and fate first. */
    const remove = (id: number, includeSelf: boolean, cause: 'deleted' | 'replaced'): void => {
      const pending = includeSelf ? [id] : presentChildren(id, []);
      for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
        const state = stateOf(node);
        tracker.touch(node, state);
        if (state !== NOTHING) {
          if (cause === 'deleted') fates.deleted(state, layer);
          else fates.replaced(state, layer, null);
        }
        presentChildren(node, pending);
        held[node] = ABSENT;
      }
    };
    /** Appends the children of `id` that hold something to `children`. */
    const presentChildren = (id: number, children: number[]): number[] => {
      for (let child = paths.firstChild(id); child >= 0; child = paths.nextSibling(child)) {
        if (held[child] !== ABSENT) children.push(child);
      }
      return children;
    };
    /** Makes every ancestor of `id` a directory, replacing files in the way. */
    const ensureParents = (id: number): void => {
      // Most entries' parents are directories already: no list for them.
      const parent = paths.parent(id);
      if (parent <= 0 || held[parent] === DIRECTORY) return;
      const missing: number[] = [];
      for (let node = parent; node > 0 && held[node] !== DIRECTORY; node = paths.parent(node)) {
        missing.push(node);
      }
      for (let node = missing.pop(); node !== undefined; node = missing.pop()) {
        if (held[node] !== ABSENT) remove(node, true, 'replaced');
        held[node] = DIRECTORY;
      }
    };

    if (table === undefined) return tracker.finish(stateOf);
    // A whiteout is checked against the layers below before any marker of this layer applies.
    for (let serial = start; serial < end; serial++) {
      if (typeCodes[serial] === TYPE_CODE.whiteout && held[pathIds[serial] ?? 0] === ABSENT) {
        layerWarnings.add(
          `${label}: whiteout of "${abbreviate(table.path(serial - start))}", which no lower layer holds`,
        );
      }
    }
    // Markers apply to the layers below only, so they go first: an opaque directory or a
    // whiteout never hides what the same layer adds.
    for (let serial = start; serial < end; serial++) {
      const code = typeCodes[serial];
      if (code !== TYPE_CODE.opaque && code !== TYPE_CODE.whiteout) continue;
      const id = pathIds[serial] ?? 0;
      // The root is never deleted (the reader refuses ".wh." alone, which would name it).
      if (code === TYPE_CODE.whiteout && id === 0) continue;
      if (held[id] !== ABSENT) remove(id, code === TYPE_CODE.whiteout, 'deleted');
    }

    // Type codes, not type names: no call per entry for them.
    for (let serial = start; serial < end; serial++) {
      const code = typeCodes[serial];
      if (code === TYPE_CODE.opaque || code === TYPE_CODE.whiteout) continue;
      const index = serial - start;
      const directory = code === TYPE_CODE.directory;
      // What the entry stores: a regular file's bytes.
      const bytes = code === TYPE_CODE.file ? table.size(index) : 0;
      storedBytes += bytes;
      const id = pathIds[serial] ?? 0;
      ensureParents(id);
      const existing = held[id] ?? ABSENT;
      // A non-directory replaces a directory and all it holds before anything resolves against
      // them (a runtime removes the directory, then creates the entry: a link into it dangles).
      if (existing === DIRECTORY && !directory) remove(id, false, 'replaced');
      if (code === TYPE_CODE.hardlink) {
        // A hard link shares its target's inode: its bytes are stored and visible once.
        const target = table.linkTarget(index) ?? '';
        const targetState = held[stack.linkTargetIds?.[serial] ?? 0] ?? ABSENT;
        const inode = links.apply(entries, serial, Math.max(targetState, NOTHING));
        if (inode === NOTHING) {
          const what =
            targetState === ABSENT
              ? 'which neither this layer (before the link) nor a lower one holds'
              : `which is a ${targetState === DIRECTORY ? 'directory' : entries.type(targetState)}`;
          layerWarnings.add(
            `${label}: hard link "${abbreviate(table.path(index))}" points to "${abbreviate(target)}", ${what}; counted as empty`,
          );
        }
      }

      if (existing === ABSENT) {
        if (directory) held[id] = DIRECTORY;
        else {
          held[id] = serial;
          tracker.wrote(id, bytes);
        }
        continue;
      }
      if (directory) {
        // Over a directory, a directory entry only updates metadata; over anything else it replaces it.
        if (existing !== DIRECTORY) {
          tracker.touch(id, existing);
          fates.replaced(existing, layer, null);
        }
        held[id] = DIRECTORY;
        continue;
      }
      tracker.touch(id, Math.max(existing, NOTHING));
      if (existing >= 0) {
        // Sizes first: bodies of different lengths differ, and a hash may still have to be computed.
        let sameBytes = false;
        if (
          code === TYPE_CODE.file &&
          entries.type(existing) === 'file' &&
          entries.size(existing) === bytes
        ) {
          const existingHash = entries.contentHash(existing);
          sameBytes = existingHash !== undefined && existingHash === table.contentHash(index);
        }
        if (sameBytes) fates.rewritten(existing, layer, serial);
        else fates.replaced(existing, layer, serial);
      }
      held[id] = serial;
      tracker.wrote(id, bytes);
    }
    warnings.push(...layerWarnings.toArray());
    return tracker.finish(stateOf);
  });

  // Path order: the paths' own, which dive's walk sorted already. One pass: the lists are made
  // for every path and cut to the files' number after (a million files fill two lists of their
  // size instead of growing them: copies, all kept until the next full collection, the image's
  // peak memory). Visible bytes count each inode once: a hard link's bytes are its file's.
  const { order } = paths.sorted();
  const finalSerials = new Int32Array(order.length);
  const finalPaths = new Array<string>(order.length);
  const finalDirectories: string[] = [];
  const counted = new Uint8Array(serials.total);
  let visibleBytes = 0;
  let fileCount = 0;
  for (let at = 0; at < order.length; at++) {
    const id = order[at] ?? 0;
    const state = held[id] ?? ABSENT;
    if (state < 0) {
      if (state === DIRECTORY) finalDirectories.push(paths.path(id));
      continue;
    }
    finalSerials[fileCount] = state;
    finalPaths[fileCount++] = paths.path(id);
    const code = typeCodes[state];
    const inode =
      code === TYPE_CODE.file ? state : code === TYPE_CODE.hardlink ? links.inodeOf(state) : NOTHING;
    if (inode !== NOTHING && counted[inode] === 0) {
      counted[inode] = 1;
      visibleBytes += entries.size(inode);
    }
  }
  finalPaths.length = fileCount;
  return {
    storedBytes,
    visibleBytes,
    reclaimableBytes: storedBytes - visibleBytes,
    layerChanges,
    finalFiles: new MergedFiles(
      entries,
      finalSerials.subarray(0, fileCount),
      finalPaths,
      links,
      finalDirectories,
    ),
    fates,
    warnings,
  };
}
