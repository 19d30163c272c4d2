import type { EcosystemResult, FoundPackage } from './found-package.js';
import type { MetadataView } from './metadata-view.js';
import { perFileHistory } from './per-file-history.js';

type Parsed =
  { ok: true; name: string; version: string; license: string | null } | { ok: false; reason: string };

/** Name, version and license of a package.json; `ok: false` where it is not JSON or names no package. */
export function parsePackageJson(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'is not a JSON object' };
  const fields = value as Record<string, unknown>;
  const { name, version } = fields;
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '')
    return { ok: false, reason: 'names no package name and version' };
  return { ok: true, name, version, license: licenseOf(fields['license'] ?? fields['licenses']) };
}

/** `"MIT"`, `{ "type": "MIT" }` (deprecated) or `[{ "type": "MIT" }, ...]` (older still). */
function licenseOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (Array.isArray(value)) {
    const types = value.map(licenseOf).filter((type): type is string => type !== null);
    return types.length === 0 ? null : types.length === 1 ? (types[0] ?? null) : `(${types.join(' OR ')})`;
  }
  if (typeof value === 'object' && value !== null)
    return licenseOf((value as Record<string, unknown>)['type']);
  return null;
}

/** npm packages: every `node_modules/(@scope/)?name/package.json`, nested ones included. */
export function readNodePackages(view: MetadataView): EcosystemResult {
  const packages: FoundPackage[] = [];
  const warnings: string[] = [];
  const versionOf = (body: Buffer) => {
    const parsed = parsePackageJson(body.toString('utf8'));
    return parsed.ok ? parsed : null;
  };
  for (const path of view.finalPaths()) {
    if (!path.endsWith('/package.json') || !path.includes('/node_modules/')) continue;
    const parsed = parsePackageJson(view.finalBody(path)?.toString('utf8') ?? '');
    if (!parsed.ok) {
      warnings.push(`npm: "${path}" ${parsed.reason}; skipped`);
      continue;
    }
    packages.push({
      ecosystem: 'npm',
      name: parsed.name,
      version: parsed.version,
      architecture: null,
      license: parsed.license,
      metadataPath: path,
      files: null,
      directory: path.slice(0, path.lastIndexOf('/')),
      installedSizeBytes: null,
      reason: null,
      ...perFileHistory(view, path, versionOf, parsed.name),
      depends: [],
      recommends: [],
      provides: [],
    });
  }
  return { packages, warnings };
}
