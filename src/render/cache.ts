import type { CacheEntry, CacheListing, CachePruneSummary } from '../model/index.js';
import { SCHEMA_VERSION } from './analysis-json.js';
import { formatBytes } from './format.js';
import { TextTable } from './text-table.js';

/** 0o700 as "0700", the way chmod and ls -l's users write it. */
function octalMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** To the second, in UTC: the same on every machine that reads the report. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** One kind's share of the cache beside its cap. */
function kindLine(listing: CacheListing, kind: CacheEntry['kind']): string {
  const entries = listing.entries.filter((entry) => entry.kind === kind);
  const bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  const [name, cap] =
    kind === 'blob' ? ['Blobs', listing.blobsMaxBytes] : ['Layer results', listing.layerResultsMaxBytes];
  return `${name}: ${entries.length === 1 ? '1 entry' : `${entries.length} entries`}, ${formatBytes(bytes)} of the ${formatBytes(cap)} cap (least recently used removed past it)`;
}

/** The start's compiled code and the records of local files analyzed before, where there are some: lines of their own, not entries. */
function speedUpLines(listing: CacheListing): string {
  const line = (what: string, { files, bytes }: { files: number; bytes: number }, unit: string): string =>
    files === 0 ? '' : `${what}: ${plural(files, unit)}, ${formatBytes(bytes)}\n`;
  return (
    line('Compiled code of the start', listing.codeCache, 'file') +
    line('Local files analyzed before', listing.knownFiles, 'record')
  );
}

/** `imgscope cache list` as text: the location and its mode, one row per entry, the totals. */
export function renderCacheTable(listing: CacheListing): string {
  const where =
    listing.mode === null
      ? `Cache: ${listing.location} (not created yet)`
      : `Cache: ${listing.location} (mode ${octalMode(listing.mode)})`;
  if (listing.entries.length === 0) return `${where}\nThe cache is empty.\n${speedUpLines(listing)}`;
  const table = new TextTable({
    head: ['Kind', 'Entry', 'Size', 'Last used'],
    align: ['left', 'left', 'right', 'left'],
  });
  for (const entry of listing.entries) {
    table.push([entry.kind, entry.digest, formatBytes(entry.bytes), timestamp(entry.lastUsed)]);
  }
  const count = listing.entries.length === 1 ? '1 entry' : `${listing.entries.length} entries`;
  const total = `${count}, ${formatBytes(listing.totalBytes)} (${listing.totalBytes} bytes)`;
  return `${where}\n${table.toString()}\n${total}\n${kindLine(listing, 'blob')}\n${kindLine(listing, 'layer')}\n${speedUpLines(listing)}`;
}

function entryToJson(entry: CacheEntry): Record<string, unknown> {
  const common = { kind: entry.kind, digest: entry.digest };
  const used = { bytes: entry.bytes, lastUsed: entry.lastUsed.toISOString() };
  return entry.kind === 'layer'
    ? { ...common, diffId: entry.diffId, ...used, current: entry.current }
    : { ...common, ...used };
}

export function renderCacheJson(listing: CacheListing): string {
  const json = {
    schemaVersion: SCHEMA_VERSION,
    location: listing.location,
    mode: listing.mode === null ? null : octalMode(listing.mode),
    totalBytes: listing.totalBytes,
    blobsMaxBytes: listing.blobsMaxBytes,
    layerResultsMaxBytes: listing.layerResultsMaxBytes,
    codeCache: listing.codeCache,
    knownFiles: listing.knownFiles,
    entries: listing.entries.map(entryToJson),
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/** `imgscope cache prune`'s one line: what was removed, how many bytes that freed, from where. */
export function renderCachePrune(summary: CachePruneSummary): string {
  // Compiled code and known-file records are named where some were removed: most prunes meet none.
  const named = (count: number, word: string): string => (count === 0 ? '' : `, ${plural(count, word)}`);
  const code =
    named(summary.removedCodeCacheFiles, 'compiled-code file') +
    named(summary.removedKnownFileRecords, 'known-file record');
  return (
    `Removed ${plural(summary.removedEntries, 'blob')}, ${plural(summary.removedLayerResults, 'layer result')}${code} and ${plural(summary.removedTemporaryFiles, 'temporary file')} ` +
    `(${formatBytes(summary.removedBytes)}, ${summary.removedBytes} bytes freed) from ${summary.location}\n`
  );
}
