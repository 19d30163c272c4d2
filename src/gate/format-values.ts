import type { ThresholdType } from './rule-catalog.js';

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** "32 kB", "1.2 MB": decimal units, as dive prints wasted bytes. */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${DECIMAL_UNITS[unit] ?? 'B'}`;
}

/** Exact and readable: "32025 bytes (32 kB)". */
export function describeBytes(bytes: number): string {
  return bytes < 1000 ? `${bytes} bytes` : `${bytes} bytes (${humanBytes(bytes)})`;
}

/**
 * A 0..1 fraction and its percentage, with all digits when four would make it look equal to
 * the threshold it is compared with.
 */
export function describeFraction(value: number, comparedWith?: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'infinite' : 'undefined';
  const short = Number(value.toFixed(4));
  const tooShort =
    comparedWith !== undefined && value !== comparedWith && short === Number(comparedWith.toFixed(4));
  return `${tooShort ? String(value) : String(short)} (${(value * 100).toFixed(2)}%)`;
}

export function describeValue(type: ThresholdType, value: number, comparedWith?: number): string {
  switch (type) {
    case 'bytes':
      return describeBytes(value);
    case 'fraction':
      return describeFraction(value, comparedWith);
    case 'count':
      return String(value);
  }
}
