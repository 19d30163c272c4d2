import { reasonsFromAptGraph } from './apt-reasons.js';
import {
  dpkgKey,
  parseAutoInstalled,
  parseDpkgStatus,
  parseDpkgVersions,
  parseFileList,
  type DpkgPackage,
} from './dpkg.js';
import type { EcosystemResult, FoundPackage } from './found-package.js';
import { installHistory, type MetadataView } from './metadata-view.js';

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d/';
const INFO = '/var/lib/dpkg/info/';
const EXTENDED_STATES = '/var/lib/apt/extended_states';

/**
 * Debian and Ubuntu packages: dpkg's status (or distroless status.d/ files), each package's
 * `info/NAME[:ARCH].list` for its files, and apt's extended_states for requested vs automatic.
 */
export function readDpkgPackages(view: MetadataView): EcosystemResult {
  const packages: FoundPackage[] = [];
  const read = (path: string, body: Buffer): void => {
    const final = parseDpkgStatus(body.toString('utf8'));
    // The final version is parsed in full once; the earlier ones for their versions only.
    const snapshots = view.history(path).map((write) => ({
      layer: write.layer,
      versions: write.body === body ? versionsOf(final) : parseDpkgVersions(write.body.toString('utf8')),
    }));
    for (const found of final)
      packages.push(toFound(found, path, view, installHistory(snapshots, keyOf(found))));
  };
  const status = view.finalBody(STATUS);
  if (status !== undefined) read(STATUS, status);
  for (const path of view.finalPaths()) {
    if (path.startsWith(STATUS_D)) read(path, view.finalBody(path) ?? Buffer.alloc(0));
  }
  const extended = view.finalBody(EXTENDED_STATES);
  if (extended !== undefined) reasonsFromAptGraph(packages, parseAutoInstalled(extended.toString('utf8')));
  return { packages, warnings: [] };
}

function keyOf(found: DpkgPackage): string {
  return dpkgKey(found.name, found.architecture);
}

function versionsOf(found: DpkgPackage[]): Map<string, string> {
  return new Map(found.map((entry) => [keyOf(entry), entry.version]));
}

function toFound(
  found: DpkgPackage,
  metadataPath: string,
  view: MetadataView,
  history: { layerIndex: number | null; changedInLayers: number[] },
): FoundPackage {
  // Multi-Arch: same packages list their files as NAME:ARCH.list, the others as NAME.list.
  const list =
    (found.architecture === null
      ? undefined
      : view.finalBody(`${INFO}${found.name}:${found.architecture}.list`)) ??
    view.finalBody(`${INFO}${found.name}.list`);
  return {
    ecosystem: 'deb',
    name: found.name,
    version: found.version,
    architecture: found.architecture,
    license: null,
    metadataPath,
    files: list === undefined ? null : parseFileList(list.toString('utf8')),
    directory: null,
    installedSizeBytes: found.installedSizeBytes,
    reason: null,
    ...history,
    depends: found.depends,
    recommends: found.recommends,
    provides: found.provides,
  };
}
