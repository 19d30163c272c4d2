import { parseStanzas } from './stanzas.js';

/** A package of dpkg's database (`/var/lib/dpkg/status`, or one file of distroless `status.d/`). */
export interface DpkgPackage {
  name: string;
  version: string;
  architecture: string | null;
  /** Installed-Size in bytes (dpkg records KiB); null where absent. */
  installedSizeBytes: number | null;
  /** Names it depends on (Depends, Pre-Depends): each group is a list of alternatives. */
  depends: string[][];
  /** Names it recommends or suggests, same shape. */
  recommends: string[][];
  /** Virtual package names it provides. */
  provides: string[];
}

/**
 * The installed packages of a status file. Entries dpkg does not consider installed (removed
 * with their configuration kept, half-installed...) are left out, as `dpkg-query -W` with
 * `${db:Status-Status}` = installed would.
 */
export function parseDpkgStatus(text: string): DpkgPackage[] {
  const packages: DpkgPackage[] = [];
  for (const stanza of parseStanzas(text)) {
    const name = stanza.get('package');
    const version = stanza.get('version');
    if (name === undefined || version === undefined || name === '') continue;
    // "Status: want flag status"; distroless status.d files carry it too.
    const status = stanza.get('status')?.split(/\s+/)[2];
    if (status !== undefined && status !== 'installed') continue;
    const size = stanza.get('installed-size');
    packages.push({
      name,
      version,
      architecture: stanza.get('architecture') ?? null,
      installedSizeBytes: size !== undefined && /^\d+$/.test(size) ? Number(size) * 1024 : null,
      depends: [...relations(stanza.get('pre-depends')), ...relations(stanza.get('depends'))],
      recommends: [...relations(stanza.get('recommends')), ...relations(stanza.get('suggests'))],
      provides: relations(stanza.get('provides')).flat(),
    });
  }
  return packages;
}

/** `a (>= 1) | b:any, c [amd64]` -> [[a, b], [c]]: names only (versions and qualifiers dropped). */
function relations(field: string | undefined): string[][] {
  if (field === undefined) return [];
  return field
    .split(',')
    .map((group) =>
      group
        .split('|')
        .map((alternative) => alternative.trim().split(/[\s(:[<]/)[0] ?? '')
        .filter((name) => name !== ''),
    )
    .filter((group) => group.length > 0);
}

/** Packages apt installed automatically (extended_states `Auto-Installed: 1`): name -> architectures. */
export function parseAutoInstalled(text: string): Map<string, Set<string>> {
  const auto = new Map<string, Set<string>>();
  for (const stanza of parseStanzas(text)) {
    const name = stanza.get('package');
    if (name === undefined || stanza.get('auto-installed') !== '1') continue;
    const archs = auto.get(name) ?? new Set<string>();
    archs.add(stanza.get('architecture') ?? '');
    auto.set(name, archs);
  }
  return auto;
}

/** The paths of a `info/*.list` file: one absolute path per line ("/." is the root). */
export function parseFileList(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('/') && line !== '/.');
}
