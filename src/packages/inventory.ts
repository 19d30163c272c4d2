import type { SqlJsStatic } from 'sql.js';
import type { FileList, FilePeek, LayerContents, PackageInventory, PackageRecord } from '../model/index.js';
import { readApkPackages } from './apk.js';
import { readDpkgPackages } from './dpkg-reader.js';
import { FinalPaths } from './final-paths.js';
import type { EcosystemResult, FoundPackage } from './found-package.js';
import { MetadataView } from './metadata-view.js';
import { readNodePackages } from './node.js';
import { packageUrl, parseOsRelease, type Distro } from './purl.js';
import { readPythonPackages } from './python.js';
import { readRpmPackages } from './rpm.js';

const READERS: ((view: MetadataView, sqlite: SqlJsStatic | null) => EcosystemResult)[] = [
  readDpkgPackages,
  readApkPackages,
  readRpmPackages,
  readPythonPackages,
  readNodePackages,
];

/**
 * The packages of the final image with what their files weigh there: the metadata the reader
 * kept, joined after the pass against the final filesystem. A file two packages list counts for
 * both, but once in `ownedBytes`. `sqlite` reads rpm's database (see sqliteForRpm); without it
 * an rpm database is a warning.
 */
export function inventoryPackages(
  contents: readonly LayerContents[],
  finalFiles: FileList,
  sqlite: SqlJsStatic | null = null,
): PackageInventory {
  const view = new MetadataView(contents, finalFiles);
  const found: FoundPackage[] = [];
  const warnings: string[] = [];
  for (const read of READERS) {
    const result = read(view, sqlite);
    found.push(...result.packages);
    warnings.push(...result.warnings);
  }
  if (found.length === 0) return { packages: [], ownedBytes: 0, storedPaths: new Map(), warnings };
  const release = view.finalBody('/etc/os-release') ?? view.finalBody('/usr/lib/os-release');
  const distro = release === undefined ? null : parseOsRelease(release.toString('utf8'));
  const scale = new Scale(finalFiles);
  const packages = found.map((entry) => scale.weigh(entry, distro));
  packages.sort(
    (a, b) =>
      b.sizeBytes - a.sizeBytes ||
      compare(a.ecosystem, b.ecosystem) ||
      compare(a.name, b.name) ||
      compare(a.metadataPath, b.metadataPath),
  );
  return { packages, ownedBytes: scale.ownedBytes, storedPaths: scale.storedPaths, warnings };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Weighs packages' files in the final filesystem, counting each stored file once overall. */
class Scale {
  readonly #paths: FinalPaths;
  /**
   * By inode (a path): the number of the last package that counted it, times two, plus one once
   * its bytes are owned. One map for "seen by this package" and "owned by any": a lookup and a
   * store per file instead of two sets' four.
   */
  readonly #counted = new Map<string, number>();
  /** What a listed path's lookup gives (one object for every lookup). */
  readonly #peeked: FilePeek = { type: 'other', size: 0, linkTarget: null, layerIndex: 0 };
  #weighed = 0;
  ownedBytes = 0;
  readonly storedPaths = new Map<PackageRecord, string[]>();

  constructor(private readonly files: FileList) {
    this.#paths = new FinalPaths(files);
  }

  weigh(found: FoundPackage, distro: Distro | null): PackageRecord {
    const stored: string[] = [];
    const changed = new Set(found.changedInLayers);
    const counted = this.#counted;
    const mark = ++this.#weighed;
    let sizeBytes = 0;
    let fileCount = 0;
    const count = (path: string, file: FilePeek): void => {
      // A hard link is its target's inode: a package listing both pays once.
      const inode = file.type === 'hardlink' ? (file.linkTarget ?? path) : path;
      const before = counted.get(inode) ?? 0;
      if (before >> 1 === mark) return;
      fileCount++;
      if (found.layerIndex !== null && file.layerIndex > found.layerIndex) changed.add(file.layerIndex);
      if (file.type !== 'file' && file.type !== 'hardlink') {
        counted.set(inode, (mark << 1) | (before & 1));
        return;
      }
      counted.set(inode, (mark << 1) | 1);
      sizeBytes += file.size;
      stored.push(inode);
      if ((before & 1) === 0) this.ownedBytes += file.size;
    };
    if (found.files !== null) {
      const file = this.#peeked;
      for (const listed of found.files) {
        const path = this.#paths.peek(listed, file);
        if (path !== null) count(path, file);
      }
    } else if (found.directory !== null) {
      const prefix = `${found.directory}/`;
      for (const file of this.files.under(found.directory)) {
        const rest = file.path.slice(prefix.length);
        // Nested dependencies are packages of their own.
        if (!rest.startsWith('node_modules/') && !rest.includes('/node_modules/')) count(file.path, file);
      }
    }
    const listed = found.files !== null || found.directory !== null;
    const fallback = !listed && found.installedSizeBytes !== null;
    const record: PackageRecord = {
      ecosystem: found.ecosystem,
      name: found.name,
      version: found.version,
      architecture: found.architecture,
      license: found.license,
      sizeBytes: fallback ? (found.installedSizeBytes ?? 0) : sizeBytes,
      sizeSource: listed ? 'files' : fallback ? 'installed-size' : 'none',
      fileCount,
      layerIndex: found.layerIndex,
      changedInLayers: [...changed].sort((a, b) => a - b),
      reason: found.reason,
      metadataPath: found.metadataPath,
      purl: packageUrl(found.ecosystem, found.name, found.version, found.architecture, distro),
    };
    this.storedPaths.set(record, stored);
    return record;
  }
}
