import { Flags } from '@oclif/core';
import { DEFAULT_AUDIT_TOP } from '../audit/index.js';
import type { AuditSummary } from '../model/index.js';
import { renderAuditJson, renderAuditMarkdown, renderAuditTable } from '../render/index.js';
import { integerFlag } from './integer-flag.js';

/** How `audit` and `audit merge` print the fleet summary. */
export const summaryFlags = {
  format: Flags.string({
    description: 'summary format',
    options: ['table', 'json', 'markdown'],
    default: 'table',
  }),
  json: Flags.boolean({ description: 'same as --format json', default: false }),
  top: integerFlag({
    description: 'images and shared layers listed in each ranking',
    default: DEFAULT_AUDIT_TOP,
    min: 1,
  }),
  summary: Flags.string({ description: 'also write the summary JSON to this file', helpValue: 'FILE' }),
};

export function renderSummary(summary: AuditSummary, format: string): string {
  if (format === 'json') return renderAuditJson(summary);
  if (format === 'markdown') return renderAuditMarkdown(summary);
  return renderAuditTable(summary);
}
