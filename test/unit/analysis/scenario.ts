import type { LayerChanges } from '../../../src/model/index.js';
import { layer } from '../../helpers/layer-contents.js';

/**
 * Three layers covering overwrite, metadata-only rewrite, file and directory whiteouts, an
 * opaque directory, a symlink and a hard link whose target is deleted later. The expected
 * figures in the tests are worked out by hand from this listing.
 */
export const scenario = [
  layer(
    ['dir', '/etc'],
    ['file', '/etc/a', 100, 'A'],
    ['file', '/etc/b', 200, 'B'],
    ['symlink', '/etc/link', 'a'],
    ['dir', '/data'],
    ['file', '/data/x', 300, 'X'],
    ['file', '/data/y', 50, 'Y'],
    ['file', '/bin/tool', 1000, 'T'],
    ['hardlink', '/bin/tool2', '/bin/tool', 'T'],
  ),
  layer(
    ['file', '/etc/a', 120, 'A2'],
    ['file', '/etc/b', 200, 'B', 0o600],
    ['whiteout', '/data'],
    ['file', '/new', 10, 'N'],
  ),
  layer(['opaque', '/etc'], ['file', '/etc/c', 5, 'C'], ['whiteout', '/bin/tool']),
];

/** What each layer of the scenario added, modified and removed, worked out by hand. */
export const SCENARIO_CHANGES: LayerChanges[] = [
  {
    addedFiles: 7,
    addedBytes: 1650,
    modifiedFiles: 0,
    modifiedBytes: 0,
    metadataOnlyFiles: 0,
    metadataOnlyBytes: 0,
    removedFiles: 0,
    removedBytes: 0,
  },
  // /data whiteout removes x and y; /etc/a new content; /etc/b same content, new mode
  {
    addedFiles: 1,
    addedBytes: 10,
    modifiedFiles: 2,
    modifiedBytes: 320,
    metadataOnlyFiles: 1,
    metadataOnlyBytes: 200,
    removedFiles: 2,
    removedBytes: 350,
  },
  // opaque /etc hides a, b and link; the whiteout hides /bin/tool
  {
    addedFiles: 1,
    addedBytes: 5,
    modifiedFiles: 0,
    modifiedBytes: 0,
    metadataOnlyFiles: 0,
    metadataOnlyBytes: 0,
    removedFiles: 4,
    removedBytes: 1320,
  },
];
