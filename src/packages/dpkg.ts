import { parseStanzas, type Stanza } from './stanzas.js';

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

const VERSION_FIELDS: ReadonlySet<string> = new Set(['package', 'version', 'architecture', 'status']);
/** The fields parseDpkgStatus reads (a stanza's long Description is skipped, not joined line by line). */
const STATUS_FIELDS: ReadonlySet<string> = new Set([
  ...VERSION_FIELDS,
  'installed-size',
  'pre-depends',
  'depends',
  'recommends',
  'suggests',
  'provides',
]);

/**
 * The installed packages of a status file. Entries dpkg does not consider installed (removed
 * with their configuration kept, half-installed...) are left out, as `dpkg-query -W` with
 * `${db:Status-Status}` = installed would.
 */
export function parseDpkgStatus(text: string): DpkgPackage[] {
  const packages: DpkgPackage[] = [];
  for (const stanza of parseStanzas(text, STATUS_FIELDS)) {
    const { name, version } = installed(stanza) ?? {};
    if (name === undefined || version === undefined) continue;
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

/**
 * The versions of the installed packages of a status file by `dpkgKey` (what parseDpkgStatus
 * gives, with only the fields it takes read): for the earlier versions of the file, where only
 * what was installed then matters.
 */
export function parseDpkgVersions(text: string): Map<string, string> {
  const versions = new Map<string, string>();
  for (const stanza of parseStanzas(text, VERSION_FIELDS)) {
    const found = installed(stanza);
    if (found !== null) versions.set(dpkgKey(found.name, stanza.get('architecture') ?? null), found.version);
  }
  return versions;
}

/** A package's identity across versions of the status file: its name and architecture. */
export function dpkgKey(name: string, architecture: string | null): string {
  return `${name}:${architecture ?? ''}`;
}

/** Name and version of a stanza dpkg considers installed; null for the others. */
function installed(stanza: Stanza): { name: string; version: string } | null {
  const name = stanza.get('package');
  const version = stanza.get('version');
  if (name === undefined || version === undefined || name === '') return null;
  // "Status: want flag status"; distroless status.d files carry it too.
  const status = stanza.get('status')?.split(/\s+/)[2];
  if (status !== undefined && status !== 'installed') return null;
  return { name, version };
}

/** `a (>= 1) | b:any, c [amd64]` -> [[a, b], [c]]: names only (versions and qualifiers dropped). */
function relations(field: string | undefined): string[][] {
  if (field === undefined) return [];
  return field
    .split(',')
    .map((group) =>
      group
        .split('|')
        .map((alternative) => {
          const trimmed = alternative.trim();
          const end = trimmed.search(/[\s(:[<]/);
          return end < 0 ? trimmed : trimmed.slice(0, end);
        })
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

/**
 * The paths of a `info/*.list` file: one absolute path per line ("/." is the root, left out).
 * Found by one search (V8's own code) rather than a test of every line here.
 */
export function parseFileList(text: string): string[] {
  return text.match(LISTED_PATH) ?? [];
}

/** A line that starts with "/" and is not "/." alone. */
const LISTED_PATH = /(?<=^|\n)\/(?!\.(?:\n|$))[^\n]*/g;
