import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { auditRecord, failedRecord, latestRecords, summarizeAudit, type Shard } from '../audit/index.js';
import { UsageError } from '../errors.js';
import type { GateConfig } from '../gate/index.js';
import type { AuditRecord, AuditSummary, Platform, RuleSettings } from '../model/index.js';
import type { OpenSourceOptions } from '../sources/index.js';
import { LayerReader } from '../layers/index.js';
import { RegistryClientPool } from '../registry/index.js';
import { analyzeResolved, DEFAULT_LAYER_CONCURRENCY, withResolvedImage } from './analyze-image.js';
import { readResults, ResultsWriter } from './audit-results.js';
import { failureOf, type AuditTarget } from './audit-targets.js';
import { evaluateImageGate } from './evaluate-gate.js';
import { findImageProblems } from './find-image-problems.js';
import { LayerMemo } from './layer-memo.js';

export const DEFAULT_AUDIT_PARALLEL = 4;

export interface AuditOptions {
  /** Where results files are written and read (resume). */
  outDir: string;
  shard: Shard | null;
  /** Images audited at once. */
  parallel?: number;
  /** Layers read at once per image. */
  concurrency?: number;
  platform?: Platform;
  source?: OpenSourceOptions;
  rules?: RuleSettings;
  /** --ci: each image is gated with this configuration. */
  gate?: GateConfig | null;
  top?: number;
  /** Entry-table rows kept in memory across images (see LayerMemo). */
  memoEntries?: number;
  onWarning?: (line: string) => void;
  /** Called as each image ends (for progress). */
  onImage?: (record: AuditRecord, outcome: AuditOutcome) => void;
}

/** analyzed: read and written now; reused: done earlier (same manifest digest), not read again. */
export type AuditOutcome = 'analyzed' | 'reused' | 'failed';

export interface AuditRun {
  summary: AuditSummary;
  records: AuditRecord[];
  stats: {
    analyzed: number;
    reused: number;
    failed: number;
    /**
     * Layers read (decompressed, checked, parsed) in this run, and the layers the analyzed
     * images hold: a layer shared with an image before it, or whose result was stored by an
     * earlier run, is not read again.
     */
    layerReads: number;
    layerUses: number;
  };
  resultsFile: string;
}

/**
 * Audits images one JSON line at a time: each image is resolved, skipped when a record with its
 * manifest digest is already in `outDir`, else analyzed through the same path as `analyze` (layers
 * shared with images before it are read once) and its record appended. One image failing is
 * that image's record; the audit goes on.
 */
export async function auditImages(targets: readonly AuditTarget[], options: AuditOptions): Promise<AuditRun> {
  const warn = options.onWarning ?? (() => undefined);
  const previous = latestRecords(await readResults([options.outDir], warn, { mustExist: false }));
  const done = new Map<string, AuditRecord>();
  for (const record of previous.values()) {
    const key = doneKey(record.digest, record.id);
    if (record.status === 'ok' && key !== null) done.set(key, record);
  }
  const writer = await ResultsWriter.open(options.outDir, options.shard);
  const memo = new LayerMemo(options.memoEntries);
  const stats = { analyzed: 0, reused: 0, failed: 0, layerUses: 0 };
  const limit = pLimit(Math.max(1, options.parallel ?? DEFAULT_AUDIT_PARALLEL));
  const concurrency = options.concurrency ?? DEFAULT_LAYER_CONCURRENCY;
  // One set of layer workers for the whole run, not one per image; one registry client per
  // repository (its connections, ping and token), not one per tag.
  const reader = new LayerReader({ concurrency });
  const clients = new RegistryClientPool({ ...options.source?.registry, env: options.source?.env });
  const source: OpenSourceOptions = {
    ...options.source,
    registry: { ...options.source?.registry, clients },
  };

  const auditOne = async (target: AuditTarget): Promise<{ record: AuditRecord; outcome: AuditOutcome }> => {
    if (target.failure !== undefined)
      return { record: failedRecord(target, target.failure), outcome: 'failed' };
    try {
      return await withResolvedImage(target.reference, { ...options, source }, async (image) => {
        const earlier = done.get(doneKey(image.manifestDigest, image.configDigest) ?? '');
        if (earlier !== undefined) {
          return {
            record: { ...earlier, reference: target.reference, repository: target.repository },
            outcome: 'reused',
          };
        }
        stats.layerUses += image.layers.length;
        const analysis = await analyzeResolved(image, concurrency, memo, reader);
        const report = findImageProblems(analysis, options.rules);
        const gate =
          options.gate === undefined || options.gate === null
            ? null
            : evaluateImageGate(report.analysis, report.findings.findings, options.gate);
        return { record: auditRecord(target, report.analysis, report.findings, gate), outcome: 'analyzed' };
      });
    } catch (error) {
      return { record: failedRecord(target, failureOf(error)), outcome: 'failed' };
    }
  };

  const records: AuditRecord[] = [];
  try {
    await Promise.all(
      targets.map((target) =>
        limit(async () => {
          const { record, outcome } = await auditOne(target);
          // A record already on file for this reference and digest is not written twice.
          const same = previous.get(record.reference);
          if (!(
            outcome === 'reused' &&
            same?.status === 'ok' &&
            doneKey(same.digest, same.id) === doneKey(record.digest, record.id)
          ))
            await writer.append(record);
          const key = doneKey(record.digest, record.id);
          if (record.status === 'ok' && key !== null) done.set(key, record);
          stats[outcome]++;
          records.push(record);
          options.onImage?.(record, outcome);
        }),
      ),
    );
  } finally {
    await writer.close();
    await reader.close();
    clients.close();
  }
  return {
    summary: summarizeAudit(records, options.top),
    records,
    stats: { ...stats, layerReads: reader.layersRead },
    resultsFile: writer.file,
  };
}

/** What says an image is done: its manifest digest, or its config digest where it has no manifest. */
function doneKey(digest: string | null, id: string | null): string | null {
  return digest ?? (id === null ? null : `id:${id}`);
}

/** `audit merge`: the summary of every record in the shards' results directories. */
export async function mergeAuditResults(
  dirs: readonly string[],
  options: { top?: number; onWarning?: (line: string) => void },
): Promise<AuditSummary> {
  const records = await readResults(dirs, options.onWarning ?? (() => undefined), { mustExist: true });
  return summarizeAudit(latestRecords(records).values(), options.top);
}

/** Writes the summary through a temporary file and a rename: a reader never sees half of it. */
export async function writeAuditSummary(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw new UsageError(`cannot write the summary ${file}: ${(cause as Error).message}`, { cause });
  }
}
