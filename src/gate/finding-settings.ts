import type { FindingSeverity } from '../model/index.js';
import type { FailOn, FindingRuleSetting } from './gate-config.js';
import { bad, ok, type Parsed } from './parsed.js';
import { isDisabledText } from './threshold.js';

export const SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'info'];
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

/** Higher is worse; `failOn: warning` fails on warnings and errors. */
export const SEVERITY_RANK: Readonly<Record<FindingSeverity, number>> = { info: 1, warning: 2, error: 3 };

export function parseFailOn(text: string): Parsed<FailOn> {
  const value = text.trim().toLowerCase();
  const match = FAIL_ON_VALUES.find((v) => v === value);
  return match === undefined ? bad(`"${text}" is not one of ${FAIL_ON_VALUES.join(', ')}`) : ok(match);
}

/** `off` (or dive's other words for it) or a severity. */
export function parseFindingRuleSetting(text: string): Parsed<FindingRuleSetting> {
  if (isDisabledText(text)) return ok('off');
  const value = text.trim().toLowerCase();
  const match = SEVERITIES.find((v) => v === value);
  return match === undefined ? bad(`"${text}" is not one of off, ${SEVERITIES.join(', ')}`) : ok(match);
}

/** Finding rule ids are kebab-case words, as the findings engine names them. */
export function isFindingRuleId(id: string): boolean {
  return /^[a-z0-9][a-z0-9._/-]*$/i.test(id);
}

/** `true` is the bottom layer (dive's "base layer"), a number the bottom N layers. */
export function parseIgnoreBaseLayers(text: string): Parsed<number> {
  const value = text.trim().toLowerCase();
  if (value === 'true' || value === 'yes' || value === 'on') return ok(1);
  if (isDisabledText(value) || value === 'no') return ok(0);
  if (/^\+?\d+$/.test(value)) return ok(Number(value));
  return bad(`"${text}" is not true, false or a number of layers`);
}

/** A glob must be a non-empty pattern over absolute image paths. */
export function checkIgnoreGlob(glob: string): Parsed<string> {
  if (glob.trim() === '') return bad('an ignore pattern must not be empty');
  return ok(glob.trim());
}
