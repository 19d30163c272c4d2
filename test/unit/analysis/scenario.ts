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
