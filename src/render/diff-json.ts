import type { Analysis, GateResult, ImageDiff } from '../model/index.js';
import { SCHEMA_VERSION } from './analysis-json.js';
import { platformText } from './format.js';

export type FileListing = 'top' | 'all' | 'none';
/** Changed files listed with --files top. */
export const TOP_FILES = 20;

function side(analysis: Analysis): Record<string, unknown> {
  const { image } = analysis;
  return {
    reference: image.reference,
    source: image.source,
    digest: image.digest,
    id: image.id,
    platform: platformText(image.platform),
  };
}

export function listedChanges<T>(changes: T[], listing: FileListing): T[] {
  return listing === 'all' ? changes : listing === 'none' ? [] : changes.slice(0, TOP_FILES);
}

/** The diff as JSON: a contract like the analyze report (schemaVersion, fields only added). */
export function diffToJson(
  before: Analysis,
  after: Analysis,
  diff: ImageDiff,
  listing: FileListing,
  gate: GateResult | null = null,
): Record<string, unknown> {
  const summary = diff.summary;
  return {
    schemaVersion: SCHEMA_VERSION,
    before: side(before),
    after: side(after),
    summary: {
      ...summary,
      platform: {
        before: platformText(summary.platform.before),
        after: platformText(summary.platform.after),
      },
    },
    layers: diff.layers,
    files: { ...diff.files, changes: listedChanges(diff.files.changes, listing) },
    findings: diff.findings,
    packages: diff.packages,
    ...(gate === null ? {} : { gate }),
  };
}

export function renderDiffJson(
  before: Analysis,
  after: Analysis,
  diff: ImageDiff,
  listing: FileListing,
  gate: GateResult | null = null,
): string {
  return JSON.stringify(diffToJson(before, after, diff, listing, gate), null, 2) + '\n';
}
