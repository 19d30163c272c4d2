import { BaseCommand } from '../../cli/base-command.js';
import { formatFlags } from '../../cli/common-flags.js';
import { cacheCaps } from '../../cli/registry-flags.js';
import { renderCacheJson, renderCacheTable } from '../../render/index.js';
import { listCache } from '../../services/index.js';

export default class CacheList extends BaseCommand {
  static override summary =
    "Show the cache's location and mode, the blobs and layer results it holds, their sizes and last use.";

  static override description = `The cache lives in $XDG_CACHE_HOME/imgscope (default ~/.cache/imgscope) and holds two kinds of entry: registry blobs (kind blob, by digest) and layer results (kind layer: what reading a layer gave, by the digest of its blob; JSON adds its diff_id and whether this version of imgscope uses it). Each is listed with its size and when an analysis last used it, most recent first; the total is the bytes imgscope cache prune would free. Both are capped, the least recently used removed past the cap: blobs at 5 GiB (IMGSCOPE_BLOB_CACHE_MAX), layer results at 2 GiB (IMGSCOPE_LAYER_CACHE_MAX); the blobs of a running analysis are kept even past it. Two speed-ups are counted on lines of their own: the start's compiled code, and the digests of local archives analyzed before (one record per file, used only while the file is unchanged: the same archive analyzed again is not hashed again).`;

  static override examples = ['<%= config.bin %> cache list', '<%= config.bin %> cache list --json'];

  static override flags = {
    ...formatFlags(['table', 'json']),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CacheList);
    const listing = await listCache({ caps: cacheCaps() });
    this.write(flags.json || flags.format === 'json' ? renderCacheJson(listing) : renderCacheTable(listing));
  }
}
