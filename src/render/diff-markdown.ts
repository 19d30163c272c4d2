import type { Analysis, ImageDiff } from '../model/index.js';
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
import { markdownCode, markdownText } from './markdown-text.js';
import { PACKAGE_HEAD, packageRows, packagesLine } from './diff-package-rows.js';

function table(head: string[], rows: string[][]): string[] {
  const cell = markdownText;
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

/**
 * A pull-request comment: the summary first (a few dozen lines at most), the layer and file
 * details folded away in <details> blocks.
 */
export function renderDiffMarkdown(
  before: Analysis,
  after: Analysis,
  diff: ImageDiff,
  listing: FileListing,
): string {
  const out: string[] = [
    `### imgscope diff`,
    '',
    `${markdownCode(before.image.reference, false)} → ${markdownCode(after.image.reference, false)}`,
    '',
    ...table(
      SUMMARY_HEAD.map((h) => h || ' '),
      summaryRows(diff),
    ),
    '',
    ...layerNotes(diff).map((note) => `- ${markdownText(note)}`),
    `- ${markdownText(findingsLine(diff))}`,
    `- ${markdownText(filesLine(diff))}`,
    ...(diff.packages.changes.length > 0 ? [`- ${markdownText(packagesLine(diff.packages))}`] : []),
  ];
  const findings = findingRows(diff, 100);
  if (findings.length > 0) out.push('', ...table(FINDING_HEAD, findings));
  if (diff.layers.rows.length > 0) {
    out.push(
      '',
      '<details><summary>Layers</summary>',
      '',
      ...table(LAYER_HEAD, layerRows(diff.layers.rows, 100)),
      '',
      '</details>',
    );
  }
  if (diff.packages.changes.length > 0) {
    out.push(
      '',
      '<details><summary>Packages</summary>',
      '',
      ...table(PACKAGE_HEAD, packageRows(diff.packages.changes, 100)),
      '',
      '</details>',
    );
  }
  const changes = listedChanges(diff.files.changes, listing);
  if (changes.length > 0) {
    out.push(
      '',
      '<details><summary>Files</summary>',
      '',
      ...table(FILE_HEAD, fileRows(changes, 100)),
      '',
      '</details>',
    );
  }
  return out.join('\n') + '\n';
}
