// Package metadata in the real on-disk formats, for images built in tests: dpkg's status and
// info/*.list, apt's extended_states, apk's installed database, Python's METADATA and RECORD,
// npm's package.json. Only the fields the tools write and the inventory reads.
import type { EntrySpec } from './image-builder.js';

export interface DebSpec {
  name: string;
  version: string;
  arch?: string;
  installedSizeKiB?: number;
  depends?: string;
  recommends?: string;
  provides?: string;
  status?: string;
  /** Files with their sizes; their parent directories are listed too, as dpkg lists them. */
  files?: [string, number][];
  /** Multi-Arch: same (its list is NAME:ARCH.list). */
  multiArchSame?: boolean;
}

export function dpkgStatus(packages: readonly DebSpec[]): string {
  return packages
    .map(
      (deb) =>
        [
          `Package: ${deb.name}`,
          `Status: ${deb.status ?? 'install ok installed'}`,
          'Priority: optional',
          'Section: misc',
          ...(deb.installedSizeKiB === undefined ? [] : [`Installed-Size: ${deb.installedSizeKiB}`]),
          'Maintainer: Example Maintainers <maint@example.org>',
          `Architecture: ${deb.arch ?? 'amd64'}`,
          ...(deb.multiArchSame === true ? ['Multi-Arch: same'] : []),
          `Version: ${deb.version}`,
          ...(deb.provides === undefined ? [] : [`Provides: ${deb.provides}`]),
          ...(deb.depends === undefined ? [] : [`Depends: ${deb.depends}`]),
          ...(deb.recommends === undefined ? [] : [`Recommends: ${deb.recommends}`]),
          `Description: ${deb.name} for tests`,
          ' A longer description on a continuation line.',
          ' .',
          ' Another paragraph.',
        ].join('\n') + '\n',
    )
    .join('\n');
}

/** The status file, each package's .list and its files, as one layer's entries. */
export function dpkgEntries(packages: readonly DebSpec[], statusPath = 'var/lib/dpkg/status'): EntrySpec[] {
  const entries: EntrySpec[] = [{ type: 'file', path: statusPath, content: dpkgStatus(packages) }];
  for (const deb of packages) {
    const files = deb.files ?? [];
    const dirs = new Set<string>();
    for (const [path] of files) {
      const parts = path.split('/').filter(Boolean);
      for (let index = 1; index < parts.length; index++) dirs.add(`/${parts.slice(0, index).join('/')}`);
    }
    const list = ['/.', ...[...dirs].sort(), ...files.map(([path]) => path)].join('\n') + '\n';
    const listName = deb.multiArchSame === true ? `${deb.name}:${deb.arch ?? 'amd64'}` : deb.name;
    if (deb.files !== undefined)
      entries.push({ type: 'file', path: `var/lib/dpkg/info/${listName}.list`, content: list });
    for (const [path, size] of files) entries.push({ type: 'file', path: path.slice(1), size });
  }
  return entries;
}

export function extendedStates(automatic: readonly string[]): string {
  return automatic.map((name) => `Package: ${name}\nArchitecture: amd64\nAuto-Installed: 1\n`).join('\n');
}

export interface ApkSpec {
  name: string;
  version: string;
  license?: string;
  depends?: string;
  /** Files with their sizes, grouped under F: lines by directory. */
  files: [string, number][];
}

export function apkInstalled(packages: readonly ApkSpec[]): string {
  return packages
    .map((apk) => {
      const lines = [
        'C:Q1AbCdEfGhIjKlMnOpQrStUvWxYz0123=',
        `P:${apk.name}`,
        `V:${apk.version}`,
        'A:x86_64',
        'S:1000',
        `I:${apk.files.reduce((sum, [, size]) => sum + size, 0)}`,
        `T:${apk.name} for tests`,
        'U:https://example.org',
        `L:${apk.license ?? 'MIT'}`,
        `o:${apk.name}`,
        'm:Example <maint@example.org>',
        't:1700000000',
        'c:0123456789abcdef0123456789abcdef01234567',
        ...(apk.depends === undefined ? [] : [`D:${apk.depends}`]),
      ];
      let directory: string | null = null;
      for (const [path, size] of apk.files) {
        const dir = path.slice(1, path.lastIndexOf('/'));
        if (dir !== directory) {
          lines.push(`F:${dir}`);
          directory = dir;
        }
        lines.push(
          `R:${path.slice(path.lastIndexOf('/') + 1)}`,
          'a:0:0:755',
          `Z:Q1${size}AbCdEfGhIjKlMnOpQrStUvWx=`,
        );
      }
      return lines.join('\n') + '\n';
    })
    .join('\n');
}

export function pythonMetadata(name: string, version: string, license = 'BSD-3-Clause'): string {
  return [
    'Metadata-Version: 2.1',
    `Name: ${name}`,
    `Version: ${version}`,
    'Summary: for tests',
    `License: ${license}`,
    'Requires-Python: >=3.8',
    '',
    'Long description. Name: not-a-header',
  ].join('\n');
}

/** RECORD rows as pip writes them: `path,sha256=digest,size` (the RECORD itself without hash and size). */
export function pythonRecord(rows: readonly string[]): string {
  return (
    rows
      .map((row) => (row.includes(',') ? `"${row}"` : row))
      .map((path, index) => `${path},sha256=AbC${index},${10 + index}`)
      .join('\n') + '\n'
  );
}
