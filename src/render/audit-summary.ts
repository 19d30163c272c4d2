import type { AuditSummary } from '../model/index.js';
import { formatBytes } from './format.js';
import { markdownCode as markdownCodeSpan, markdownText as markdownPlain } from './markdown-text.js';
import { TextTable } from './text-table.js';
import { terminalText } from './terminal-text.js';

/** Version of the audit summary JSON; fields are only ever added. */
export const AUDIT_SCHEMA_VERSION = 1;

/** The summary as JSON: the same records give the same bytes, however they were sharded. */
export function renderAuditJson(summary: AuditSummary): string {
  return JSON.stringify({ schemaVersion: AUDIT_SCHEMA_VERSION, ...summary }, null, 2) + '\n';
}

/** Image-derived text on a terminal, on one line: control characters (the newline too) shown escaped. */
function shown(text: string): string {
  return terminalText(text).replaceAll('\n', '\\u000a');
}

function table(head: string[], rows: string[][], right: number[] = []): string {
  const out = new TextTable({
    head,
    align: head.map((_, i) => (right.includes(i) ? 'right' : 'left')),
  });
  for (const row of rows) out.push(row);
  return out.toString();
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderAuditTable(summary: AuditSummary): string {
  const { images, totals } = summary;
  const out: string[] = [
    `Images: ${images.total} (${images.ok} audited, ${images.failed} failed)`,
    `Total size: ${formatBytes(totals.sizeBytes)}, reclaimable ${formatBytes(totals.reclaimableBytes)}, wasted (dive) ${formatBytes(totals.wastedBytes)}`,
  ];
  const section = (title: string, body: string | null): void => {
    if (body !== null) out.push('', title, body);
  };
  const ranks = (list: AuditSummary['topReclaimable']): string | null =>
    list.length === 0
      ? null
      : table(
          ['Image', 'Bytes'],
          list.map((r) => [shown(r.reference), formatBytes(r.bytes)]),
          [1],
        );
  section('Most reclaimable (squashing would save)', ranks(summary.topReclaimable));
  section('Most wasted (dive)', ranks(summary.topWasted));
  section(
    'Shared base layers',
    summary.sharedLayers.length === 0
      ? null
      : table(
          ['Layer (diff_id)', 'Images', 'Size', 'Across the fleet'],
          summary.sharedLayers.map((l) => [
            l.diffId.slice(0, 19),
            String(l.images),
            formatBytes(l.sizeBytes),
            formatBytes(l.fleetBytes),
          ]),
          [1, 2, 3],
        ),
  );
  section(
    'Most frequent findings',
    summary.findings.length === 0
      ? null
      : table(
          ['Rule', 'Severity', 'Images', 'Saves'],
          summary.findings.map((f) => [f.id, f.severity, String(f.images), formatBytes(f.wastedBytes)]),
          [2, 3],
        ),
  );
  const users = (list: AuditSummary['rootUser']): string | null =>
    list.length === 0
      ? null
      : list.map((u) => `  ${shown(u.reference)}  USER ${JSON.stringify(u.user)}`).join('\n');
  section(`Run as root: ${count(summary.rootUser.length, 'image')}`, users(summary.rootUser));
  section(
    `Non-numeric USER: ${count(summary.nonNumericUser.length, 'image')}`,
    users(summary.nonNumericUser),
  );
  section(
    `Secrets: ${count(summary.secrets.length, 'image')}`,
    summary.secrets.length === 0
      ? null
      : summary.secrets.map((s) => `  ${shown(s.reference)}: ${s.paths.map(shown).join(', ')}`).join('\n'),
  );
  if (summary.gate !== null) {
    section(
      `Gate: ${summary.gate.failed.length === 0 ? 'every image passed' : `${count(summary.gate.failed.length, 'image')} failed`}`,
      summary.gate.failed.length === 0
        ? null
        : summary.gate.failed.map((g) => `  FAIL ${shown(g.reference)}: ${g.rules.join(', ')}`).join('\n'),
    );
  }
  section(
    `Failed: ${count(summary.failures.length, 'image')}`,
    summary.failures.length === 0
      ? null
      : summary.failures.map((f) => `  ${shown(f.reference)}: ${shown(f.message)}`).join('\n'),
  );
  return out.join('\n') + '\n';
}

/** Markdown is printed to terminals too (the merge Job's log): control characters escaped first. */
function markdownCode(text: string): string {
  return markdownCodeSpan(shown(text));
}

function markdownText(text: string): string {
  return markdownPlain(shown(text));
}

export function renderAuditMarkdown(summary: AuditSummary): string {
  const { images, totals } = summary;
  const out: string[] = [
    '## imgscope fleet audit',
    '',
    `${images.total} images (${images.ok} audited, ${images.failed} failed); ${formatBytes(totals.sizeBytes)} in all, ${formatBytes(totals.reclaimableBytes)} reclaimable, ${formatBytes(totals.wastedBytes)} wasted (dive).`,
  ];
  const mdTable = (title: string, head: string[], rows: string[][]): void => {
    if (rows.length === 0) return;
    out.push('', `### ${title}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`);
    for (const row of rows) out.push(`| ${row.join(' | ')} |`);
  };
  const ranks = (list: AuditSummary['topReclaimable']): string[][] =>
    list.map((r) => [markdownCode(r.reference), formatBytes(r.bytes)]);
  mdTable('Most reclaimable', ['Image', 'Bytes'], ranks(summary.topReclaimable));
  mdTable('Most wasted (dive)', ['Image', 'Bytes'], ranks(summary.topWasted));
  mdTable(
    'Shared base layers',
    ['Layer', 'Images', 'Size', 'Across the fleet'],
    summary.sharedLayers.map((l) => [
      markdownCode(l.diffId.slice(0, 19)),
      String(l.images),
      formatBytes(l.sizeBytes),
      formatBytes(l.fleetBytes),
    ]),
  );
  mdTable(
    'Most frequent findings',
    ['Rule', 'Severity', 'Images', 'Saves'],
    summary.findings.map((f) => [
      markdownCode(f.id),
      f.severity,
      String(f.images),
      formatBytes(f.wastedBytes),
    ]),
  );
  mdTable(
    'Run as root',
    ['Image', 'USER'],
    summary.rootUser.map((u) => [markdownCode(u.reference), markdownCode(u.user)]),
  );
  mdTable(
    'Non-numeric USER',
    ['Image', 'USER'],
    summary.nonNumericUser.map((u) => [markdownCode(u.reference), markdownCode(u.user)]),
  );
  mdTable(
    'Secrets',
    ['Image', 'Paths'],
    summary.secrets.map((s) => [markdownCode(s.reference), s.paths.map((p) => markdownCode(p)).join(', ')]),
  );
  if (summary.gate !== null) {
    mdTable(
      'Gate failures',
      ['Image', 'Rules'],
      summary.gate.failed.map((g) => [
        markdownCode(g.reference),
        g.rules.map((r) => markdownCode(r)).join(', '),
      ]),
    );
  }
  mdTable(
    'Failed',
    ['Image', 'Error'],
    summary.failures.map((f) => [markdownCode(f.reference), markdownText(f.message)]),
  );
  return out.join('\n') + '\n';
}
