import type { FindingSeverity } from './finding.js';

/** A layer of an audited image, as the fleet summary counts it. */
export interface AuditLayer {
  diffId: string | null;
  /** Tar-header bytes of the layer (dive's layer size). */
  sizeBytes: number;
  compressedSizeBytes: number | null;
}

/** One finding of an audited image, reduced to what the fleet summary ranks. */
export interface AuditFinding {
  id: string;
  severity: FindingSeverity;
  wastedBytes: number;
  /** The finding's paths (untrusted image text), for secrets only; [] otherwise. */
  paths: string[];
}

/** Why an image could not be audited. */
export interface AuditFailure {
  /** The error's stable code (`AUTH`, `REGISTRY`...), or `INTERNAL`. */
  code: string;
  exitCode: number;
  message: string;
}

/**
 * One image of an audit: one JSON line of a results file, written when the image is done.
 * `status: "failed"` records carry `error` and no numbers.
 */
export interface AuditRecord {
  schemaVersion: 1;
  /** The reference as listed (argument, file line, or REPO:TAG). */
  reference: string;
  /** registry/repository (or the path of a local image): what a shard keeps together. */
  repository: string;
  status: 'ok' | 'failed';
  /** Manifest digest (after platform selection): what a resumed audit skips. */
  digest: string | null;
  /** Config digest (the image ID): what a resumed audit skips where there is no manifest (docker save). */
  id: string | null;
  user: string;
  sizeBytes: number;
  compressedSizeBytes: number | null;
  reclaimableBytes: number;
  /** dive's wasted bytes. */
  wastedBytes: number;
  efficiency: number;
  layers: AuditLayer[];
  findings: AuditFinding[];
  /** With --ci: whether the image passed its gate and the rules that failed. */
  gate: { passed: boolean; failed: string[] } | null;
  error: AuditFailure | null;
}

export interface AuditImageRank {
  reference: string;
  digest: string | null;
  bytes: number;
}

export interface AuditUserEntry {
  reference: string;
  user: string;
}

export interface AuditSecretEntry {
  reference: string;
  paths: string[];
}

export interface AuditFindingFrequency {
  id: string;
  severity: FindingSeverity;
  /** Images with at least one such finding. */
  images: number;
  wastedBytes: number;
}

export interface AuditSharedLayer {
  diffId: string;
  images: number;
  sizeBytes: number;
  compressedSizeBytes: number | null;
  /** sizeBytes times the images that hold it: what the layer accounts for across the fleet. */
  fleetBytes: number;
}

/**
 * The fleet summary: a pure function of the set of records, so shards merged give the same
 * bytes as one run.
 */
export interface AuditSummary {
  images: { total: number; ok: number; failed: number };
  totals: { sizeBytes: number; compressedSizeBytes: number; reclaimableBytes: number; wastedBytes: number };
  topReclaimable: AuditImageRank[];
  topWasted: AuditImageRank[];
  rootUser: AuditUserEntry[];
  nonNumericUser: AuditUserEntry[];
  secrets: AuditSecretEntry[];
  findings: AuditFindingFrequency[];
  sharedLayers: AuditSharedLayer[];
  /** Present when the records were gated (--ci). */
  gate: { failed: { reference: string; rules: string[] }[] } | null;
  failures: { reference: string; code: string; exitCode: number; message: string }[];
}
