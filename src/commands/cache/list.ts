import { BaseCommand } from '../../cli/base-command.js';
import { formatFlags } from '../../cli/common-flags.js';
import { renderCacheJson, renderCacheTable } from '../../render/index.js';
import { listCache } from '../../services/index.js';

export default class CacheList extends BaseCommand {
  static override summary =
    "Show the cache's location and mode, the blobs it holds, their sizes and last use.";

  static override description = `The cache lives in $XDG_CACHE_HOME/imgscope (default ~/.cache/imgscope). Each blob is listed by digest with its size and when an analysis last used it, most recent first; the total is the bytes imgscope cache prune would free.`;

  static override examples = ['<%= config.bin %> cache list', '<%= config.bin %> cache list --json'];

  static override flags = {
    ...formatFlags(['table', 'json']),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CacheList);
    const listing = await listCache();
    this.write(flags.json || flags.format === 'json' ? renderCacheJson(listing) : renderCacheTable(listing));
  }
}
