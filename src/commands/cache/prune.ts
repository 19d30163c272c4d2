import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { BlobCache, defaultCacheRoot } from '../../registry/index.js';
import { formatBytes } from '../../render/format.js';

export default class CachePrune extends BaseCommand {
  static override summary = 'Remove cached registry blobs.';

  static override description = `The cache lives in $XDG_CACHE_HOME/imgscope (default ~/.cache/imgscope) and holds blobs by digest, each verified before it was stored and again before use. Without --older-than every entry is removed; temporary files of interrupted downloads are removed too.`;

  static override examples = [
    '<%= config.bin %> cache prune',
    '<%= config.bin %> cache prune --older-than 30',
  ];

  static override flags = {
    'older-than': Flags.integer({ description: 'only remove blobs not used for this many days', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CachePrune);
    const cache = new BlobCache(defaultCacheRoot());
    const days = flags['older-than'];
    const result = await cache.prune(days === undefined ? {} : { olderThanMs: days * 24 * 60 * 60 * 1000 });
    this.write(
      `Removed ${result.removedEntries} blob${result.removedEntries === 1 ? '' : 's'} and ` +
        `${result.removedTemporaryFiles} temporary file${result.removedTemporaryFiles === 1 ? '' : 's'} ` +
        `(${formatBytes(result.removedBytes)}) from ${cache.root}\n`,
    );
  }
}
