import { bad, ok, type Parsed } from './parsed.js';

/**
 * Unit multipliers of go-humanize's ParseBytes, which dive uses for `highestWastedBytes`.
 * Units are case-insensitive and decimal unless they have an `i`: `20MB` = `20mb` = `20M` =
 * 20,000,000 bytes; `20MiB` = `20mi` = 20,971,520 bytes.
 */
const UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['k', 1e3],
  ['kb', 1e3],
  ['ki', 2 ** 10],
  ['kib', 2 ** 10],
  ['m', 1e6],
  ['mb', 1e6],
  ['mi', 2 ** 20],
  ['mib', 2 ** 20],
  ['g', 1e9],
  ['gb', 1e9],
  ['gi', 2 ** 30],
  ['gib', 2 ** 30],
  ['t', 1e12],
  ['tb', 1e12],
  ['ti', 2 ** 40],
  ['tib', 2 ** 40],
  ['p', 1e15],
  ['pb', 1e15],
  ['pi', 2 ** 50],
  ['pib', 2 ** 50],
  ['e', 1e18],
  ['eb', 1e18],
  ['ei', 2 ** 60],
  ['eib', 2 ** 60],
]);

const MAX_UINT64 = 2 ** 64;

/**
 * Parses a size the way go-humanize's ParseBytes does (so `.dive-ci` values mean what they meant
 * with dive): a leading run of digits, dots and thousands commas is the number (commas dropped),
 * the rest, trimmed and lower-cased, must be a known unit. Fractions are allowed and truncated
 * after multiplying ("1.5KiB" = 1536). No sign and no leading space, as in dive.
 */
export function parseBytes(text: string): Parsed<number> {
  let end = 0;
  while (end < text.length && /[0-9.,]/.test(text.charAt(end))) end++;
  const digits = text.slice(0, end).replaceAll(',', '');
  // strconv.ParseFloat on digits and dots only accepts these shapes.
  if (!/^(\d+\.?\d*|\.\d+)$/.test(digits)) {
    return bad(`"${text}" is not a size: expected a number with an optional unit such as 20MB or 1.5GiB`);
  }
  const unit = text.slice(end).trim().toLowerCase();
  const multiplier = UNITS.get(unit);
  if (multiplier === undefined) {
    return bad(`"${text}" has an unknown size unit "${unit}" (use B, kB, MB, GB, TB or KiB, MiB, GiB, TiB)`);
  }
  const bytes = Number(digits) * multiplier;
  if (bytes >= MAX_UINT64) return bad(`"${text}" is too large`);
  return ok(Math.trunc(bytes));
}
