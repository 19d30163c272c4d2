import * as Flags from '@oclif/core/flags';
import { integerFlag } from './integer-flag.js';
import { DEFAULT_LAYER_CONCURRENCY } from '../services/index.js';

/** `--format` with the given choices (table first, the default) and its `--json` synonym. */
export function formatFlags<const T extends readonly string[]>(formats: T) {
  return {
    format: Flags.string({
      char: 'f',
      description: 'output format',
      options: [...formats],
      default: 'table',
    }),
    json: Flags.boolean({ description: 'same as --format json', default: false }),
  };
}

/** How images are chosen and read, shared by every command that reads images. */
export const imageReadFlags = {
  platform: Flags.string({ description: 'platform to pick from a multi-platform image: os/arch[/variant]' }),
  concurrency: integerFlag({
    description: 'layers downloaded and read at once',
    default: DEFAULT_LAYER_CONCURRENCY,
    min: 1,
    max: 32,
  }),
};
