import type { PackageInventory, PackageRecord } from '../model/index.js';
import { formatBytes, formatPercent } from './format.js';
import { truncate } from './terminal-columns.js';
import { TextTable } from './text-table.js';
import { terminalText } from './terminal-text.js';

/** "1.2 MB", or "~1.2 MB" where the size is the metadata's estimate, not the files'. */
function packageBytes(record: PackageRecord): string {
  return `${record.sizeSource === 'installed-size' ? '~' : ''}${formatBytes(record.sizeBytes)}`;
}

function layerText(record: PackageRecord): string {
  if (record.layerIndex === null) return '-';
  return record.changedInLayers.length === 0
    ? String(record.layerIndex)
    : `${record.layerIndex} (changed in ${record.changedInLayers.join(', ')})`;
}

function packageTable(records: readonly PackageRecord[], imageBytes: number, width: number): string {
  const nameWidth = Math.max(16, Math.floor((width - 60) * 0.6));
  const versionWidth = Math.max(10, width - 60 - nameWidth);
  const table = new TextTable({
    head: ['Size', 'Share', 'Package', 'Version', 'Type', 'Layer', 'Reason'],
  });
  for (const record of records) {
    table.push([
      packageBytes(record),
      formatPercent(imageBytes === 0 ? null : record.sizeBytes / imageBytes),
      truncate(record.name, nameWidth),
      truncate(record.version, versionWidth),
      record.ecosystem,
      layerText(record),
      record.reason ?? '',
    ]);
  }
  return table.toString();
}

function estimateNote(records: readonly PackageRecord[]): string[] {
  return records.some((record) => record.sizeSource === 'installed-size')
    ? ['~ size from the package metadata (Installed-Size): no file list in the image']
    : [];
}

/** The analyze report's "Largest packages" section; nothing for an image without packages. */
export function renderLargestPackages(
  inventory: PackageInventory,
  imageBytes: number,
  top: number,
  width: number,
): string[] {
  const { packages } = inventory;
  if (packages.length === 0) return [];
  const shown = packages.slice(0, top);
  const out = [
    `Largest packages (${shown.length} of ${packages.length}; their files are ${formatBytes(inventory.ownedBytes)} of ${formatBytes(imageBytes)})`,
  ];
  if (shown.length > 0) out.push(packageTable(shown, imageBytes, width), ...estimateNote(shown));
  return out;
}

/** `imgscope packages`: every package, largest first; `ownedBytes` null when a filter left some out. */
export function renderPackagesTable(
  packages: readonly PackageRecord[],
  inventory: PackageInventory,
  imageBytes: number,
  width: number,
  filtered: boolean,
): string {
  const owned = filtered
    ? ''
    : `; their files are ${formatBytes(inventory.ownedBytes)} of ${formatBytes(imageBytes)}`;
  const out = [
    packages.length === 0
      ? filtered
        ? 'No packages of the chosen ecosystems.'
        : 'No packages found (dpkg, apk, rpm, Python and npm metadata were looked for).'
      : `${packages.length} packages${owned}`,
  ];
  if (packages.length > 0) out.push(packageTable(packages, imageBytes, width), ...estimateNote(packages));
  for (const warning of inventory.warnings) out.push(`warning: ${warning}`);
  // The lines outside the table quote the image too.
  return terminalText(out.join('\n') + '\n');
}
