import * as Flags from '@oclif/core/flags';
import { FlagValueError } from './flag-value-error.js';

/**
 * An integer flag with a lower bound (and an optional upper one) that reports a bad value as
 * "--top must be an integer >= 0" instead of oclif's "Expected an integer greater than or equal
 * to 0 but received: -1".
 */
export const integerFlag = Flags.custom<number, { min: number; max?: number }>({
  async parse(input, _context, flag) {
    const range = flag.max === undefined ? `>= ${flag.min}` : `from ${flag.min} to ${flag.max}`;
    const value = /^-?\d+$/.test(input) ? Number(input) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < flag.min || (flag.max !== undefined && value > flag.max)) {
      throw new FlagValueError(flag.name, `must be an integer ${range}`, input);
    }
    return value;
  },
});
