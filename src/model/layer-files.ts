import type { LayerEntry } from './layer-entry.js';

/**
 * What an entry of a layer did to the filesystem below it, as dive's explorer marks it:
 * a new path, new content, the same content with other metadata (mode, owner), a deletion
 * (whiteout or opaque marker), or a directory that was already there.
 */
export type EntryChange = 'added' | 'modified' | 'metadata-only' | 'removed' | 'unchanged';

/** One entry of a layer as `analyze --layer-files` lists it. */
export interface LayerFile extends Pick<LayerEntry, 'path' | 'type' | 'size' | 'mode' | 'uid' | 'gid'> {
  linkTarget: string | null;
  change: EntryChange;
}
