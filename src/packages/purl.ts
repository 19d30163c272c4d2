import type { PackageEcosystem } from '../model/index.js';

/** The distribution a package came from, for OS package URLs (os-release's ID and VERSION_ID). */
export interface Distro {
  id: string;
  versionId: string | null;
}

/**
 * Package URL (github.com/package-url/purl-spec): `pkg:deb/debian/curl@7.88.1-10?arch=amd64`,
 * `pkg:npm/%40scope/name@1.0.0`, `pkg:pypi/django@4.2`. Components are percent-encoded.
 */
export function packageUrl(
  ecosystem: PackageEcosystem,
  name: string,
  version: string,
  architecture: string | null,
  distro: Distro | null,
): string {
  const enc = encodeURIComponent;
  const qualifiers: string[] = [];
  if (architecture !== null) qualifiers.push(`arch=${enc(architecture)}`);
  if (distro !== null && (ecosystem === 'deb' || ecosystem === 'apk' || ecosystem === 'rpm')) {
    qualifiers.push(
      `distro=${enc(distro.versionId === null ? distro.id : `${distro.id}-${distro.versionId}`)}`,
    );
  }
  // rpm's epoch is a qualifier, not part of the version (purl-spec's rpm type); keys in order.
  const epoch = ecosystem === 'rpm' ? /^(\d+):(.*)$/.exec(version) : null;
  if (epoch !== null) qualifiers.push(`epoch=${epoch[1]}`);
  const plainVersion = epoch?.[2] ?? version;
  const query = qualifiers.length === 0 ? '' : `?${qualifiers.join('&')}`;
  switch (ecosystem) {
    case 'npm': {
      const slash = name.startsWith('@') ? name.indexOf('/') : -1;
      const path = slash > 0 ? `${enc(name.slice(0, slash))}/${enc(name.slice(slash + 1))}` : enc(name);
      return `pkg:npm/${path}@${enc(version)}`;
    }
    case 'python':
      // PEP 503 normalisation, as the purl spec asks for pypi names.
      return `pkg:pypi/${enc(name.toLowerCase().replace(/[-_.]+/g, '-'))}@${enc(version)}`;
    default: {
      const namespace = distro?.id ?? { deb: 'debian', apk: 'alpine', rpm: 'redhat' }[ecosystem];
      return `pkg:${ecosystem}/${enc(namespace)}/${enc(name)}@${enc(plainVersion)}${query}`;
    }
  }
}

/** ID and VERSION_ID of an os-release file. */
export function parseOsRelease(text: string): Distro | null {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match !== null) fields.set(match[1] ?? '', (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2'));
  }
  const id = fields.get('ID');
  return id === undefined || id === '' ? null : { id, versionId: fields.get('VERSION_ID') ?? null };
}
