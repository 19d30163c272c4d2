import type { PackageRecord } from '../model/index.js';
import { terminalText } from './terminal-text.js';

const COLUMNS = [
  'ecosystem',
  'name',
  'version',
  'architecture',
  'sizeBytes',
  'sizeSource',
  'fileCount',
  'layerIndex',
  'changedInLayers',
  'reason',
  'license',
  'purl',
  'metadataPath',
] as const;

/**
 * RFC 4180 CSV. Names and versions come from the image: a field a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@` first) gets a leading `'`, so it is shown as text, and its control
 * characters are written escaped (`terminalText`), so the CSV printed on a terminal drives nothing.
 */
export function renderPackagesCsv(packages: readonly PackageRecord[]): string {
  const rows = [COLUMNS.join(',')];
  for (const record of packages) {
    rows.push(
      COLUMNS.map((column) => {
        const value = record[column];
        if (value === null) return '';
        if (Array.isArray(value)) return cell(value.join(' '));
        return typeof value === 'number' ? String(value) : cell(value);
      }).join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

function cell(value: string): string {
  const text = terminalText(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
