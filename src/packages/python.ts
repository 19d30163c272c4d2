import type { EcosystemResult, FoundPackage } from './found-package.js';
import type { MetadataView } from './metadata-view.js';
import { perFileHistory } from './per-file-history.js';

/** Name, version and license from METADATA / PKG-INFO (email-style headers before the first blank line). */
export function parsePythonMetadata(
  text: string,
): { name: string; version: string; license: string | null } | null {
  const headers = new Map<string, string>();
  for (const line of text.split('\n')) {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (clean === '') break;
    const colon = clean.indexOf(':');
    if (colon <= 0 || clean.startsWith(' ') || clean.startsWith('\t')) continue;
    const key = clean.slice(0, colon).toLowerCase();
    if (!headers.has(key)) headers.set(key, clean.slice(colon + 1).trim());
  }
  const name = headers.get('name');
  const version = headers.get('version');
  if (name === undefined || version === undefined || name === '' || version === '') return null;
  const license = headers.get('license-expression') ?? headers.get('license') ?? null;
  return {
    name,
    version,
    license: license === null || license === '' || license === 'UNKNOWN' ? null : license,
  };
}

/** The first field of each CSV row of a RECORD (RFC 4180 quoting, as Python's csv module writes it). */
export function recordPaths(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    const row = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (row === '') continue;
    if (!row.startsWith('"')) {
      paths.push(row.split(',')[0] ?? '');
      continue;
    }
    let field = '';
    for (let index = 1; index < row.length; index++) {
      const char = row[index];
      if (char === '"' && row[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') break;
      else field += char;
    }
    paths.push(field);
  }
  return paths.filter((path) => path !== '');
}

/**
 * `relative` from directory `base`; null when it climbs above the root (a hostile RECORD).
 * RECORD paths may legitimately leave site-packages (`../../../bin/flask`).
 */
export function resolveBelowRoot(base: string, relative: string): string | null {
  const parts = relative.startsWith('/') ? [] : base.split('/').filter((part) => part !== '');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Python distributions: `*.dist-info` (METADATA, RECORD) and `*.egg-info` (PKG-INFO, installed-files.txt). */
export function readPythonPackages(view: MetadataView): EcosystemResult {
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  const metadataOf = (body: Buffer) => parsePythonMetadata(body.toString('utf8'));
  for (const path of view.finalPaths()) {
    const dist = path.endsWith('.dist-info/METADATA');
    if (!dist && !path.endsWith('.egg-info/PKG-INFO')) continue;
    const infoDir = path.slice(0, path.lastIndexOf('/'));
    const found = metadataOf(view.finalBody(path) ?? Buffer.alloc(0));
    if (found === null) {
      warnings.push(`python: "${path}" names no package name and version; skipped`);
      continue;
    }
    // RECORD paths are relative to site-packages; installed-files.txt's to the egg-info directory.
    const listPath = `${infoDir}/${dist ? 'RECORD' : 'installed-files.txt'}`;
    const list = view.finalBody(listPath);
    let files: string[] | null = null;
    if (list !== undefined) {
      const base = dist ? infoDir.slice(0, infoDir.lastIndexOf('/')) : infoDir;
      const lines = dist
        ? recordPaths(list.toString('utf8'))
        : list
            .toString('utf8')
            .split('\n')
            .map((line) => line.trim())
            .filter((line) => line !== '');
      files = [];
      let escaping = 0;
      for (const line of lines) {
        const resolved = resolveBelowRoot(base, line);
        if (resolved === null) escaping++;
        else files.push(resolved);
      }
      if (escaping > 0)
        warnings.push(`python: "${listPath}" lists ${escaping} path(s) outside the image root; not counted`);
    }
    packages.push({
      ecosystem: 'python',
      name: found.name,
      version: found.version,
      architecture: null,
      license: found.license,
      metadataPath: path,
      files,
      directory: null,
      installedSizeBytes: null,
      reason: null,
      ...perFileHistory(view, path, metadataOf, found.name),
      depends: [],
      recommends: [],
      provides: [],
    });
  }
  return { packages, warnings };
}
