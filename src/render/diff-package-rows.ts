import type { PackageChange, PackagesDiff } from '../model/index.js';
import { formatDeltaBytes } from './format.js';
import { truncate } from './terminal-columns.js';

/** Package changes listed in the terminal and Markdown diffs (JSON has them all). */
export const TOP_PACKAGES = 20;

export const PACKAGE_HEAD = ['Change', 'Package', 'Type', 'Before', 'After', 'Size change'];

export function packagesLine(diff: PackagesDiff): string {
  return `Packages: ${diff.added} added, ${diff.removed} removed, ${diff.upgraded} upgraded, ${diff.downgraded} downgraded (${formatDeltaBytes(diff.deltaBytes)})`;
}

export function packageRows(changes: readonly PackageChange[], width: number): string[][] {
  return changes
    .slice(0, TOP_PACKAGES)
    .map((change) => [
      change.semverChange === null ? change.kind : `${change.kind} (${change.semverChange})`,
      truncate(change.name, width),
      change.ecosystem,
      truncate(change.beforeVersion ?? '-', 30),
      truncate(change.afterVersion ?? '-', 30),
      formatDeltaBytes(change.deltaBytes),
    ]);
}
