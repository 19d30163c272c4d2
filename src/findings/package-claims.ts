import type { Analysis, PackageRecord } from '../model/index.js';
import { bytesText } from './finding-builder.js';
import { timelineOf } from './layer-timeline.js';
import type { Claim } from './rule.js';

/**
 * The stored entries behind packages' files in the final filesystem, as claims: one pass over
 * the visible entries. A path listed by several of `records` is claimed once, for the first.
 */
export function claimPackageFiles(
  analysis: Analysis,
  records: readonly PackageRecord[],
): Map<PackageRecord, Claim[]> {
  const owner = new Map<string, PackageRecord>();
  for (const record of records) {
    for (const path of analysis.packages.storedPaths.get(record) ?? [])
      if (!owner.has(path)) owner.set(path, record);
  }
  const claims = new Map<PackageRecord, Claim[]>(records.map((record) => [record, []]));
  if (owner.size === 0) return claims;
  const owned = timelineOf(analysis).where(
    (entry) => entry.visible && entry.type === 'file' && owner.has(entry.path),
  );
  for (const tracked of owned) {
    const record = owner.get(tracked.path);
    if (record !== undefined) claims.get(record)?.push(tracked.claim());
  }
  return claims;
}

/** `name (12,345 bytes)` for each package, largest first, as findings name them. */
export function packagesText(packages: readonly { name: string; bytes: number }[]): string {
  return [...packages]
    .sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => `${entry.name} (${bytesText(entry.bytes)})`)
    .join(', ');
}
