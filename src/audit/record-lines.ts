import type { AuditRecord } from '../model/index.js';

/** One record as one line of a results file (JSON has no raw newline in it). */
export function recordLine(record: AuditRecord): string {
  return JSON.stringify(record) + '\n';
}

export interface ParsedRecords {
  records: AuditRecord[];
  /** Complete lines that are not records (reported, then ignored). */
  badLines: number[];
  /** Byte length of the complete lines: a torn last line (a writer killed mid-line) ends after it. */
  completeBytes: number;
}

/**
 * The records of a results file. A last line without its newline is a write cut short and is
 * not a record; a complete line that is not a record is counted as bad.
 */
export function parseRecordLines(text: string): ParsedRecords {
  const end = text.lastIndexOf('\n') + 1;
  const records: AuditRecord[] = [];
  const badLines: number[] = [];
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const record = asRecord(line);
    if (record === null) badLines.push(i + 1);
    else records.push(record);
  });
  return { records, badLines, completeBytes: Buffer.byteLength(text.slice(0, end)) };
}

function asRecord(line: string): AuditRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const record = value as Partial<AuditRecord> | null;
  if (
    record === null ||
    typeof record !== 'object' ||
    record.schemaVersion !== 1 ||
    typeof record.reference !== 'string' ||
    typeof record.repository !== 'string' ||
    (record.status !== 'ok' && record.status !== 'failed') ||
    !Array.isArray(record.layers) ||
    !Array.isArray(record.findings)
  ) {
    return null;
  }
  return record as AuditRecord;
}

/** The record that stands for each reference: the last one read (a rerun appends after earlier runs). */
export function latestRecords(records: Iterable<AuditRecord>): Map<string, AuditRecord> {
  const latest = new Map<string, AuditRecord>();
  for (const record of records) latest.set(record.reference, record);
  return latest;
}
