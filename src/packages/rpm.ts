import type { SqlJsStatic } from 'sql.js';
import type { EcosystemResult, FoundPackage } from './found-package.js';
import { installHistory, type MetadataView } from './metadata-view.js';
import { RPM_DATABASES, readRpmDatabase } from './rpm-database.js';
import {
  headerNumbers,
  headerString,
  headerStrings,
  parseRpmHeader,
  RpmHeaderError,
  RpmTag,
  type RpmHeader,
} from './rpm-header.js';

/** A package of the rpm database, as its header describes it. */
export interface RpmPackage {
  name: string;
  /** `[epoch:]version-release`, as rpm -q prints it with %{EPOCH}: before it. */
  version: string;
  architecture: string | null;
  license: string | null;
  installedSizeBytes: number | null;
  /** Absolute paths (directories included); null where the header has no file list. */
  files: string[] | null;
  requires: string[];
  provides: string[];
}

const IDENTITY_TAGS = new Set<number>([
  RpmTag.NAME,
  RpmTag.VERSION,
  RpmTag.RELEASE,
  RpmTag.EPOCH,
  RpmTag.ARCH,
]);
const ALL_TAGS = new Set<number>(Object.values(RpmTag));

/** One package from a header blob (only its identity when `full` is false). */
export function rpmPackageOf(blob: Uint8Array, full: boolean): RpmPackage {
  const header = parseRpmHeader(blob, full ? ALL_TAGS : IDENTITY_TAGS);
  const name = headerString(header, RpmTag.NAME);
  const version = headerString(header, RpmTag.VERSION);
  if (name === null || name === '' || version === null) throw new RpmHeaderError('no NAME or VERSION');
  const release = headerString(header, RpmTag.RELEASE);
  const epoch = headerNumbers(header, RpmTag.EPOCH)[0];
  const size = headerNumbers(header, RpmTag.LONGSIZE)[0] ?? headerNumbers(header, RpmTag.SIZE)[0];
  return {
    name,
    version: `${epoch === undefined ? '' : `${epoch}:`}${version}${release === null ? '' : `-${release}`}`,
    architecture: headerString(header, RpmTag.ARCH),
    license: headerString(header, RpmTag.LICENSE),
    installedSizeBytes: size ?? null,
    files: full ? fileList(header) : null,
    requires: headerStrings(header, RpmTag.REQUIRENAME).filter((required) => !required.startsWith('rpmlib(')),
    provides: headerStrings(header, RpmTag.PROVIDENAME),
  };
}

/** BASENAMES under DIRNAMES[DIRINDEXES], or the OLDFILENAMES of headers before rpm 4.0. */
function fileList(header: RpmHeader): string[] | null {
  const basenames = headerStrings(header, RpmTag.BASENAMES);
  if (basenames.length === 0) {
    const old = headerStrings(header, RpmTag.OLDFILENAMES);
    return old.length === 0 ? null : old;
  }
  const dirnames = headerStrings(header, RpmTag.DIRNAMES);
  const indexes = headerNumbers(header, RpmTag.DIRINDEXES);
  if (indexes.length !== basenames.length)
    throw new RpmHeaderError(`${basenames.length} file names but ${indexes.length} directory indexes`);
  return basenames.map((base, index) => {
    const dir = dirnames[indexes[index] ?? -1];
    if (dir === undefined) throw new RpmHeaderError(`file ${base}: no directory ${indexes[index]}`);
    return `${dir}${base}`;
  });
}

/** The packages of one version of the database, and what could not be read of it. */
function readPackages(
  sqlite: SqlJsStatic,
  path: string,
  body: Buffer,
  full: boolean,
): { packages: RpmPackage[]; warnings: string[] } {
  // An emptied database lists no packages.
  if (body.byteLength === 0) return { packages: [], warnings: [] };
  let rows;
  try {
    rows = readRpmDatabase(sqlite, body, full ? ALL_TAGS : IDENTITY_TAGS);
  } catch (err) {
    return {
      packages: [],
      warnings: [
        `${path}: not a readable rpm database (${(err as Error).message}); its packages are not listed`,
      ],
    };
  }
  const packages: RpmPackage[] = [];
  const bad = [...rows.skipped];
  for (const { number, blob } of rows.headers) {
    try {
      packages.push(rpmPackageOf(blob, full));
    } catch (err) {
      if (!(err instanceof RpmHeaderError)) throw err;
      bad.push(`package ${number}: ${err.message}`);
    }
  }
  const warnings =
    bad.length === 0
      ? []
      : [`${path}: ${bad.length} package header(s) malformed and not listed (first: ${bad[0]})`];
  return { packages, warnings };
}

function keyOf(found: RpmPackage): string {
  return `${found.name}.${found.architecture ?? ''}`;
}

/** Per name.arch, the versions installed (install-only packages such as kernels have several). */
function versionsOf(packages: RpmPackage[]): Map<string, string> {
  const versions = new Map<string, string>();
  for (const found of packages) {
    const key = keyOf(found);
    const known = versions.get(key);
    versions.set(key, known === undefined ? found.version : [known, found.version].sort().join(' '));
  }
  return versions;
}

/**
 * RPM packages (Fedora, RHEL/UBI 9+, Amazon Linux 2023) from rpm's SQLite database. rpm does not
 * record why a package was installed (dnf does, elsewhere), so the reason is left unknown.
 */
export function readRpmPackages(view: MetadataView, sqlite: SqlJsStatic | null): EcosystemResult {
  const path = RPM_DATABASES.find((candidate) => view.finalBody(candidate) !== undefined);
  if (path === undefined) return { packages: [], warnings: [] };
  if (sqlite === null)
    return {
      packages: [],
      warnings: [`${path}: the SQLite reader was not loaded; its packages are not listed`],
    };
  const final = readPackages(sqlite, path, view.finalBody(path) ?? Buffer.alloc(0), true);
  const history = view.history(path);
  const snapshots = history.map((write, index) => ({
    layer: write.layer,
    versions: versionsOf(
      index === history.length - 1 ? final.packages : readPackages(sqlite, path, write.body, false).packages,
    ),
  }));
  const packages = final.packages.map((found): FoundPackage => ({
    ecosystem: 'rpm',
    name: found.name,
    version: found.version,
    architecture: found.architecture,
    license: found.license,
    metadataPath: path,
    files: found.files,
    directory: null,
    installedSizeBytes: found.installedSizeBytes,
    reason: null,
    ...installHistory(snapshots, keyOf(found)),
    depends: found.requires.map((name) => [name]),
    recommends: [],
    provides: found.provides,
  }));
  return { packages, warnings: final.warnings };
}
