import { BaseCommand } from '../../cli/base-command.js';
import { integerFlag } from '../../cli/integer-flag.js';
import { renderCachePrune } from '../../render/index.js';
import { pruneCache } from '../../services/index.js';

export default class CachePrune extends BaseCommand {
  static override summary =
    'Remove cached registry blobs and layer results; prints how many and the bytes freed.';

  static override description = `The cache lives in $XDG_CACHE_HOME/imgscope (default ~/.cache/imgscope) and holds registry blobs by digest and layer results by the digests of their blob and tar, each verified before it was stored and again before use. Without --older-than every entry is removed, with the start's compiled code and the digests of archives analyzed before; temporary files of interrupted downloads are removed too. imgscope cache list shows what it holds.`;

  static override examples = [
    '<%= config.bin %> cache prune',
    '<%= config.bin %> cache prune --older-than 30',
  ];

  static override flags = {
    'older-than': integerFlag({ description: 'only remove entries not used for this many days', min: 0 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CachePrune);
    const days = flags['older-than'];
    this.write(renderCachePrune(await pruneCache(days === undefined ? {} : { olderThanDays: days })));
  }
}
