import { parseBytes } from './parse-bytes.js';
import { parseGoFloat } from './parse-go-float.js';
import { bad, ok, type Parsed } from './parsed.js';
import type { ThresholdRuleSpec } from './rule-catalog.js';

/** A threshold in effect. `value` null means the rule is disabled (SKIP). */
export interface Threshold {
  value: number | null;
  /** The text it was configured with, null for a default that disables the rule. */
  configured: string | null;
  /** "default", a file path, or the flag that set it. */
  source: string;
}

/** dive's words for "no threshold": empty, `disabled`, `off`, `false` (any case, trimmed). */
export function isDisabledText(text: string): boolean {
  const value = text.trim().toLowerCase();
  return value === '' || value === 'disabled' || value === 'off' || value === 'false';
}

/** Reads a threshold's text as dive does for its three rules, and likewise for the budgets. */
export function parseThreshold(spec: ThresholdRuleSpec, text: string, source: string): Parsed<Threshold> {
  if (isDisabledText(text)) return ok({ value: null, configured: text, source });
  const value = parseValue(spec, text);
  return value.ok ? ok({ value: value.value, configured: text, source }) : value;
}

function parseValue(spec: ThresholdRuleSpec, text: string): Parsed<number> {
  switch (spec.type) {
    case 'bytes':
      return parseBytes(text);
    case 'count':
      return /^\+?\d+$/.test(text)
        ? ok(Number(text))
        : bad(`"${text}" is not a whole number of layers (or disabled/off/false)`);
    case 'fraction': {
      const parsed = parseGoFloat(text);
      if (!parsed.ok) return bad(`${parsed.reason}: expected a fraction between 0 and 1 (e.g. 0.9)`);
      // dive would accept NaN and then never fail; a threshold that cannot fail is a mistake.
      if (Number.isNaN(parsed.value)) return bad(`"${text}" is not a number`);
      if (parsed.value < 0 || parsed.value > 1) {
        return bad(`${text} is outside the allowed range 0..1 (a fraction: 0.1 means 10%)`);
      }
      return parsed;
    }
  }
}

/** The default threshold of a rule (dive's defaults for dive's rules; budgets are off). */
export function defaultThreshold(spec: ThresholdRuleSpec): Threshold {
  if (spec.defaultText === null) return { value: null, configured: null, source: 'default' };
  const parsed = parseThreshold(spec, spec.defaultText, 'default');
  if (!parsed.ok) throw new Error(`bad default for ${spec.id}: ${parsed.reason}`);
  return parsed.value;
}
