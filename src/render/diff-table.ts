import type { Analysis, ImageDiff } from '../model/index.js';
import { TextTable } from './text-table.js';
import { terminalText } from './terminal-text.js';
import { type FileListing, listedChanges } from './diff-json.js';
import {
  FILE_HEAD,
  FINDING_HEAD,
  fileRows,
  filesLine,
  findingRows,
  findingsLine,
  LAYER_HEAD,
  layerNotes,
  layerRows,
  SUMMARY_HEAD,
  summaryRows,
} from './diff-rows.js';
import { formatDeltaBytes } from './format.js';
import { PACKAGE_HEAD, packageRows, packagesLine, TOP_PACKAGES } from './diff-package-rows.js';

export interface DiffTableOptions {
  files: FileListing;
  width: number;
}

/** The terminal diff: summary, aligned layers, changed files and directories. */
export function renderDiffTable(
  before: Analysis,
  after: Analysis,
  diff: ImageDiff,
  options: DiffTableOptions,
): string {
  const out: string[] = [`Before: ${before.image.reference}`, `After:  ${after.image.reference}`, ''];
  const summary = new TextTable({ head: SUMMARY_HEAD });
  summary.push(...summaryRows(diff));
  out.push(summary.toString(), '');

  const width = Math.max(20, options.width - 40);
  out.push('Layers', ...layerNotes(diff));
  if (diff.layers.rows.length > 0) {
    const layers = new TextTable({ head: LAYER_HEAD });
    layers.push(...layerRows(diff.layers.rows, width));
    out.push(layers.toString());
  }
  out.push('', findingsLine(diff));
  const findings = findingRows(diff, width);
  if (findings.length > 0) {
    const table = new TextTable({ head: FINDING_HEAD });
    table.push(...findings);
    out.push(table.toString());
  }
  // Only images with package changes get the section: the report of others stays as it was.
  if (diff.packages.changes.length > 0) {
    const packages = new TextTable({ head: PACKAGE_HEAD });
    packages.push(...packageRows(diff.packages.changes, width));
    out.push('', packagesLine(diff.packages), packages.toString());
    const more = diff.packages.changes.length - TOP_PACKAGES;
    if (more > 0) out.push(`(${more} more; --json lists them)`);
  }
  out.push('', filesLine(diff));
  const changes = listedChanges(diff.files.changes, options.files);
  if (changes.length > 0) {
    const files = new TextTable({ head: FILE_HEAD });
    files.push(...fileRows(changes, width));
    out.push(files.toString());
    const total = diff.files.added + diff.files.removed + diff.files.modified;
    if (changes.length < total) out.push(`(${total - changes.length} more; --files all lists them)`);
  }
  if (options.files !== 'none' && diff.files.directories.length > 0) {
    const dirs = new TextTable({
      head: ['Directory', 'Change', 'Added', 'Removed', 'Modified'],
    });
    for (const dir of diff.files.directories.slice(0, 10)) {
      dirs.push([
        dir.path,
        formatDeltaBytes(dir.deltaBytes),
        String(dir.added),
        String(dir.removed),
        String(dir.modified),
      ]);
    }
    out.push(dirs.toString());
  }
  // The lines outside the tables quote the images too.
  return terminalText(out.join('\n') + '\n');
}
