import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { registryFlags, registrySetup } from '../cli/registry-flags.js';
import { type FileListing, renderDiffJson, renderDiffMarkdown, renderDiffTable } from '../render/index.js';
import { DEFAULT_LAYER_CONCURRENCY, diffImages } from '../services/index.js';
import { parsePlatform } from '../sources/index.js';

export default class Diff extends BaseCommand {
  static override summary = 'Compare two builds of an image: sizes, layers, files.';

  static override description = `BEFORE and AFTER are any images analyze accepts, mixed freely. Layers both images share (same diff_id) are read once.

Layers are aligned by content: the shared prefix is the unchanged base; the rest is matched by the step that made it, so a step that ran again is "changed". When a small early change forced larger unchanged steps to rebuild, the report says so.

Exit codes: 0 success, 2 bad usage or bad input, 3 registry/network failure, 70 internal error.`;

  static override examples = [
    '<%= config.bin %> diff fixtures/example.tar fixtures/example-optimized.tar',
    '<%= config.bin %> diff app-main.tar app-pr.tar --format markdown > comment.md',
    '<%= config.bin %> diff before.tar after.tar --json --files all',
  ];

  static override args = {
    before: Args.string({ description: 'the image before the change', required: true }),
    after: Args.string({ description: 'the image after the change', required: true }),
  };

  static override flags = {
    format: Flags.string({
      char: 'f',
      description: 'output format',
      options: ['table', 'json', 'markdown'],
      default: 'table',
    }),
    json: Flags.boolean({ description: 'same as --format json', default: false }),
    files: Flags.string({
      description: 'changed files to list: the 20 largest, all, or none',
      options: ['top', 'all', 'none'],
      default: 'top',
    }),
    depth: Flags.integer({
      description: 'directory depth of the per-directory totals',
      default: 2,
      min: 1,
      max: 32,
    }),
    platform: Flags.string({ description: 'platform to pick from multi-platform images: os/arch[/variant]' }),
    ...registryFlags,
    concurrency: Flags.integer({
      description: 'layers downloaded and read at once',
      default: DEFAULT_LAYER_CONCURRENCY,
      min: 1,
      max: 32,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Diff);
    const format = flags.json ? 'json' : flags.format;
    const registry = await registrySetup(flags, { json: format === 'json', concurrency: flags.concurrency });
    let result;
    try {
      result = await diffImages(args.before, args.after, {
        concurrency: flags.concurrency,
        depth: flags.depth,
        source: registry.options,
        ...(flags.platform === undefined ? {} : { platform: parsePlatform(flags.platform) }),
      });
    } finally {
      registry.done();
    }
    const { before, after, diff } = result;
    const listing = flags.files as FileListing;
    if (format === 'json') this.write(renderDiffJson(before, after, diff, listing));
    else if (format === 'markdown') this.write(renderDiffMarkdown(before, after, diff, listing));
    else
      this.write(
        renderDiffTable(before, after, diff, { files: listing, width: process.stdout.columns ?? 120 }),
      );
  }
}
