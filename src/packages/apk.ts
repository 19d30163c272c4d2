import type { EcosystemResult, FoundPackage } from './found-package.js';
import { installHistory, type MetadataView } from './metadata-view.js';

const INSTALLED = ['/lib/apk/db/installed', '/usr/lib/apk/db/installed'];
const WORLD = '/etc/apk/world';

/** A package of apk's database. */
export interface ApkPackage {
  name: string;
  version: string;
  architecture: string | null;
  license: string | null;
  /** `I:`, bytes. */
  installedSizeBytes: number | null;
  /** Absolute paths: each `R:` file under the `F:` directory before it. */
  files: string[];
  depends: string[];
  provides: string[];
}

/**
 * apk's installed database: one stanza per package, one `X:value` line per field, stanzas
 * separated by blank lines (single pass; `F:` sets the directory the following `R:` lines are in).
 */
export function parseApkInstalled(text: string): ApkPackage[] {
  const packages: ApkPackage[] = [];
  let current: ApkPackage | null = null;
  let directory = '';
  const finish = (): void => {
    if (current !== null && current.name !== '' && current.version !== '') packages.push(current);
    current = null;
    directory = '';
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') {
      finish();
      continue;
    }
    if (line[1] !== ':') continue;
    const value = line.slice(2);
    current ??= {
      name: '',
      version: '',
      architecture: null,
      license: null,
      installedSizeBytes: null,
      files: [],
      depends: [],
      provides: [],
    };
    switch (line[0]) {
      case 'P':
        current.name = value;
        break;
      case 'V':
        current.version = value;
        break;
      case 'A':
        current.architecture = value;
        break;
      case 'L':
        current.license = value;
        break;
      case 'I':
        current.installedSizeBytes = /^\d+$/.test(value) ? Number(value) : null;
        break;
      case 'F':
        directory = value;
        break;
      case 'R':
        current.files.push(directory === '' ? `/${value}` : `/${directory}/${value}`);
        break;
      case 'D':
        current.depends.push(
          ...value
            .split(' ')
            .filter((name) => name !== '' && !name.startsWith('!'))
            .map(depName),
        );
        break;
      case 'p':
        current.provides.push(
          ...value
            .split(' ')
            .filter((name) => name !== '')
            .map(depName),
        );
        break;
    }
  }
  finish();
  return packages;
}

/** `so:libc.musl-x86_64.so.1=1` -> `so:libc.musl-x86_64.so.1`; `musl>=1.2` -> `musl`. */
function depName(token: string): string {
  return token.split(/[<>=~]/)[0] ?? token;
}

/** Alpine packages, and whether /etc/apk/world asked for them. */
export function readApkPackages(view: MetadataView): EcosystemResult {
  const path = INSTALLED.find((candidate) => view.finalBody(candidate) !== undefined);
  if (path === undefined) return { packages: [], warnings: [] };
  const snapshots = view.history(path).map((write) => ({
    layer: write.layer,
    versions: new Map(
      parseApkInstalled(write.body.toString('utf8')).map((found) => [found.name, found.version]),
    ),
  }));
  const world = view.finalBody(WORLD);
  const requested =
    world === undefined
      ? null
      : new Set(
          world
            .toString('utf8')
            .split(/\s+/)
            .filter((word) => word !== '')
            .map((word) => depName(word).split('@')[0] ?? word),
        );
  const packages = parseApkInstalled(view.finalBody(path)?.toString('utf8') ?? '').map(
    (found): FoundPackage => ({
      ecosystem: 'apk',
      name: found.name,
      version: found.version,
      architecture: found.architecture,
      license: found.license,
      metadataPath: path,
      files: found.files,
      directory: null,
      installedSizeBytes: found.installedSizeBytes,
      reason: requested === null ? null : requested.has(found.name) ? 'requested' : 'dependency',
      ...installHistory(snapshots, found.name),
      depends: found.depends.map((name) => [name]),
      recommends: [],
      provides: found.provides,
    }),
  );
  return { packages, warnings: [] };
}
