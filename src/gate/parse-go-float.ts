import { bad, ok, type Parsed } from './parsed.js';

/**
 * Go's strconv.ParseFloat for the decimal forms people write in YAML and on command lines
 * ("0.9", ".95", "+1", "9.5e-1", "inf"). Hexadecimal floats are not accepted.
 */
export function parseGoFloat(text: string): Parsed<number> {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return ok(Number(text));
  const lower = text.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const rest = lower.replace(/^[+-]/, '');
  if (rest === 'inf' || rest === 'infinity') return ok(sign * Infinity);
  if (rest === 'nan') return ok(Number.NaN);
  return bad(`"${text}" is not a number`);
}
