/**
 * Which file bodies the layer reader keeps for the package inventory, declared up front: the
 * reader streams each layer once and cannot go back for a sibling file, so every path a parser
 * may need is named here and joined after the pass. Each kind has a size cap: a file over it is
 * a warning (its packages are not listed), never a memory blow-up.
 */
const MiB = 1024 * 1024;

/** A layer keeps at most this much package metadata; beyond it, files are skipped with a warning. */
export const MAX_PACKAGE_METADATA_BYTES_PER_LAYER = 192 * MiB;

/** Whole databases: dpkg's status, apk's installed, rpm's sqlite database. */
const DATABASE_CAP = 32 * MiB;
const RPM_DATABASE_CAP = 128 * MiB;
/** Per-package files: file lists, METADATA, RECORD, package.json. */
const PACKAGE_FILE_CAP = 4 * MiB;

const DPKG = '/var/lib/dpkg/';
const NODE_PACKAGE_JSON = /\/node_modules\/(?:@[^/]+\/)?[^/.@][^/]*\/package\.json$/;

/** The most bytes of `path` the reader keeps for the inventory; 0 when the file is not package metadata. */
export function packageMetadataLimit(path: string): number {
  if (path.startsWith(DPKG)) {
    const rest = path.slice(DPKG.length);
    if (rest === 'status') return DATABASE_CAP;
    // distroless: one stanza per file (its .md5sums siblings are not file lists worth reading).
    if (rest.startsWith('status.d/') && !rest.includes('/', 9) && !rest.endsWith('.md5sums'))
      return PACKAGE_FILE_CAP;
    if (rest.startsWith('info/') && rest.endsWith('.list') && !rest.includes('/', 5)) return PACKAGE_FILE_CAP;
    return 0;
  }
  if (path === '/var/lib/apt/extended_states') return DATABASE_CAP;
  // Which distribution: the namespace of OS package URLs.
  if (path === '/etc/os-release' || path === '/usr/lib/os-release') return PACKAGE_FILE_CAP;
  if (path === '/lib/apk/db/installed' || path === '/usr/lib/apk/db/installed') return DATABASE_CAP;
  if (path === '/etc/apk/world') return PACKAGE_FILE_CAP;
  if (path === '/var/lib/rpm/rpmdb.sqlite' || path === '/usr/lib/sysimage/rpm/rpmdb.sqlite')
    return RPM_DATABASE_CAP;
  if (path.endsWith('/package.json')) return NODE_PACKAGE_JSON.test(path) ? PACKAGE_FILE_CAP : 0;
  if (path.endsWith('/METADATA') || path.endsWith('/RECORD')) {
    return parentName(path).endsWith('.dist-info') ? PACKAGE_FILE_CAP : 0;
  }
  if (path.endsWith('/PKG-INFO') || path.endsWith('/installed-files.txt')) {
    return parentName(path).endsWith('.egg-info') ? PACKAGE_FILE_CAP : 0;
  }
  return 0;
}

function parentName(path: string): string {
  const end = path.lastIndexOf('/');
  return path.slice(path.lastIndexOf('/', end - 1) + 1, end);
}
