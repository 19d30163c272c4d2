import type {
  GateFindingResult,
  GateResult,
  GateRuleResult,
  GateStatus,
  GateSummary,
} from '../model/index.js';
import { plural } from '../model/index.js';
import { describeBytes, describeValue } from './format-values.js';
import type { GateConfig } from './gate-config.js';
import { gateFindings } from './gate-findings.js';
import type { GateAnalysis, GateFinding } from './gate-input.js';
import { THRESHOLD_RULES, type ThresholdRuleId, type ThresholdRuleSpec } from './rule-catalog.js';
import type { Threshold } from './threshold.js';

interface Measurement {
  /** NaN where dive's value is NaN (0/0); null where the image has no such value. */
  value: number | null;
  /** Why a value is missing, or what it is about (e.g. which layer is the largest). */
  note?: string;
}

/**
 * Checks an analysis (and its findings) against the gate configuration. dive's three rules are
 * always listed, as dive lists them; budgets only when configured. Comparisons are dive's:
 * strict (`value < threshold` fails a minimum, `value > threshold` fails a maximum), so a value
 * equal to its threshold passes, and a NaN compares false and passes.
 */
export function evaluateGate(
  analysis: GateAnalysis,
  findings: readonly GateFinding[],
  config: GateConfig,
): GateResult {
  const rules: GateRuleResult[] = [];
  for (const spec of THRESHOLD_RULES) {
    const threshold = config.thresholds[spec.id];
    if (spec.kind === 'budget' && threshold.source === 'default') continue;
    rules.push(evaluateThreshold(spec, threshold, measure(spec.id, analysis)));
  }

  const gated = gateFindings(findings, config.findings);
  const failOn = config.findings.failOn;
  // The implicit failOn (no findings configuration) shows only when a finding fails it.
  if (failOn !== null && (failOn.implicit !== true || gated.length > 0))
    rules.push(findingsRule(failOn, gated));

  const summary = summarize(rules);
  return {
    passed: summary.fail === 0,
    rules,
    findings: gated,
    summary,
    configFiles: config.configFiles,
    warnings: config.warnings,
  };
}

/** What --no-layers still knows: the manifest's layer count and compressed sizes. */
const KNOWN_WITHOUT_LAYERS: ReadonlySet<ThresholdRuleId> = new Set(['maxLayers', 'maxCompressedSize']);

function measure(id: ThresholdRuleId, a: GateAnalysis): Measurement {
  if (a.metadataOnly === true && !KNOWN_WITHOUT_LAYERS.has(id))
    return { value: null, note: 'not measured with --no-layers (the layers were not read)' };
  switch (id) {
    case 'lowestEfficiency':
      return { value: a.dive.efficiency };
    case 'highestWastedBytes':
      return { value: a.dive.wastedBytes };
    case 'highestUserWastedPercent': {
      if (a.dive.userWastedPercent !== null) return { value: a.dive.userWastedPercent };
      // dive divides by zero user bytes: 0/0 is NaN (passes), n/0 is +Inf (fails).
      return a.dive.wastedBytes > 0
        ? { value: Infinity, note: 'no bytes above the base layer, but some wasted' }
        : { value: Number.NaN, note: 'no bytes above the base layer' };
    }
    case 'maxImageSize':
      return { value: a.sizeBytes };
    case 'maxCompressedSize':
      return a.compressedSizeBytes === null
        ? { value: null, note: 'this image source has no compressed layer sizes' }
        : { value: a.compressedSizeBytes };
    case 'maxLayerSize': {
      const largest = a.layers.reduce<GateAnalysis['layers'][number] | undefined>(
        (max, layer) => (max === undefined || layer.sizeBytes > max.sizeBytes ? layer : max),
        undefined,
      );
      return largest === undefined
        ? { value: 0, note: 'the image has no layers' }
        : { value: largest.sizeBytes, note: `layer ${largest.index}: ${truncate(largest.command, 60)}` };
    }
    case 'maxLayers':
      return { value: a.layers.length };
    case 'maxReclaimableBytes':
      return { value: a.reclaimableBytes };
    case 'maxReclaimablePercent':
      return { value: a.sizeBytes === 0 ? 0 : a.reclaimableBytes / a.sizeBytes };
  }
}

function evaluateThreshold(spec: ThresholdRuleSpec, threshold: Threshold, m: Measurement): GateRuleResult {
  const base = {
    id: spec.id,
    kind: spec.kind,
    unit: spec.type,
    description: spec.description,
    // JSON has no NaN or Infinity: those are reported as null with the reason in the message.
    value: m.value !== null && Number.isFinite(m.value) ? m.value : null,
    threshold: threshold.value,
    configured: threshold.configured,
    source: threshold.source,
  };
  if (threshold.value === null) return { ...base, status: 'SKIP', message: 'rule disabled' };
  if (m.value === null) {
    return { ...base, status: 'WARN', message: `cannot be checked: ${m.note ?? 'no value'}` };
  }
  const limit = threshold.value;
  const failed = spec.direction === 'min' ? m.value < limit : m.value > limit;
  const shown = Number.isNaN(m.value)
    ? `undefined (${m.note ?? 'NaN'})`
    : describeValue(spec.type, m.value, limit);
  const limitText = describeValue(spec.type, limit);
  const about = m.note !== undefined && !Number.isNaN(m.value) ? ` [${m.note}]` : '';
  const message = failed
    ? `${LABELS[spec.id]} ${shown} is ${spec.direction === 'min' ? 'below' : 'above'} the threshold ${limitText}${about}`
    : `${LABELS[spec.id]} ${shown} is within the threshold ${limitText}${about}`;
  return { ...base, status: failed ? 'FAIL' : 'PASS', message };
}

const LABELS: Record<ThresholdRuleId, string> = {
  lowestEfficiency: 'image efficiency',
  highestWastedBytes: 'wasted bytes',
  highestUserWastedPercent: 'wasted share of user bytes',
  maxImageSize: 'image size',
  maxCompressedSize: 'compressed size',
  maxLayerSize: 'largest layer',
  maxLayers: 'layer count',
  maxReclaimableBytes: 'reclaimable bytes',
  maxReclaimablePercent: 'reclaimable share of the image',
};

function findingsRule(
  failOn: NonNullable<GateConfig['findings']['failOn']>,
  gated: readonly GateFindingResult[],
): GateRuleResult {
  const failing = gated.filter((f) => f.status === 'FAIL');
  const base = {
    id: 'failOn',
    kind: 'findings' as const,
    unit: 'count' as const,
    description: 'Fail when a finding has this severity or a worse one (error > warning > info).',
    value: failing.length,
    threshold: failOn.value,
    configured: failOn.value,
    source: failOn.source,
  };
  if (failOn.value === 'never') {
    return {
      ...base,
      status: 'SKIP',
      message: `${plural(gated.length, 'finding')} reported; findings never fail the gate`,
    };
  }
  if (failing.length > 0) {
    const bytes = failing.reduce((sum, f) => sum + f.wastedBytes, 0);
    const waste = bytes > 0 ? `, ${describeBytes(bytes)} to win` : '';
    return {
      ...base,
      status: 'FAIL',
      message: `${plural(failing.length, 'finding')} of severity ${failOn.value} or worse${waste}: ${[...new Set(failing.map((f) => f.id))].join(', ')}`,
    };
  }
  const status: GateStatus = gated.length > 0 ? 'WARN' : 'PASS';
  return {
    ...base,
    status,
    message:
      gated.length > 0
        ? `${plural(gated.length, 'finding')} below severity ${failOn.value}`
        : `no findings of severity ${failOn.value} or worse`,
  };
}

/** Counts over the rules, for dive's summary line. */
export function summarize(rules: readonly GateRuleResult[]): GateSummary {
  const count = (s: GateStatus): number => rules.filter((r) => r.status === s).length;
  return {
    total: rules.length,
    pass: count('PASS'),
    fail: count('FAIL'),
    warn: count('WARN'),
    skip: count('SKIP'),
  };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
