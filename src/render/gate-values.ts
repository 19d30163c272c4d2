import type { GateRuleResult } from '../model/index.js';
import { formatBytes } from './format.js';

/** A rule's value for reports: readable size, fraction as a percentage, or a count. */
export function formatGateValue(rule: Pick<GateRuleResult, 'unit' | 'value'>): string {
  if (rule.value === null) return 'n/a';
  switch (rule.unit) {
    case 'bytes':
      return formatBytes(rule.value);
    case 'fraction':
      return `${(rule.value * 100).toFixed(2)} %`;
    case 'count':
      return String(rule.value);
  }
}

/** A rule's threshold as configured ("20MB") where known, else formatted like its value. */
export function formatGateThreshold(rule: Pick<GateRuleResult, 'unit' | 'threshold' | 'configured'>): string {
  if (rule.threshold === null) return 'disabled';
  if (typeof rule.threshold === 'string') return rule.threshold;
  if (
    rule.unit === 'bytes' &&
    rule.configured !== null &&
    rule.configured.trim() !== String(rule.threshold)
  ) {
    return `${rule.configured.trim()} (${rule.threshold} bytes)`;
  }
  return formatGateValue({ unit: rule.unit, value: rule.threshold });
}
