import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { integerFlag } from '../cli/integer-flag.js';
import { formatFlags, imageReadFlags } from '../cli/common-flags.js';
import { registryFlags, registrySetup } from '../cli/registry-flags.js';
import { EXIT_CODES, UsageError } from '../errors.js';
import { parseGrowthLimit } from '../gate/index.js';
import {
  type FileListing,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffTable,
  renderGateText,
  TOP_FILES,
} from '../render/index.js';
import { diffImages, writeDiffHtml, writeGateReports } from '../services/index.js';
import { parsePlatform } from '../sources/index.js';

export default class Diff extends BaseCommand {
  static override summary = 'Compare two builds of an image: sizes, layers, files.';

  static override description = `BEFORE and AFTER are any images analyze accepts, mixed freely. Layers both images share (same diff_id) are read once.

Layers are aligned by content: the shared prefix is the unchanged base; the rest is matched by the step that made it, so a step that ran again is "changed". When a small early change forced larger unchanged steps to rebuild, the report says so.

With --max-growth the diff is a gate: exit 1 when the after image is larger than the before image by more than the limit (bytes such as 10MB, as .dive-ci sizes, or a percentage of the before size such as 5%); --junit writes the result as JUnit XML.

Exit codes: 0 success, 1 the image grew more than --max-growth allows, 2 bad usage or bad input, 3 registry/network failure, 70 internal error.`;

  static override examples = [
    '<%= config.bin %> diff fixtures/example.tar fixtures/example-optimized.tar',
    '<%= config.bin %> diff app-main.tar app-pr.tar --format markdown > comment.md',
    '<%= config.bin %> diff before.tar after.tar --json --files all',
    '<%= config.bin %> diff main.tar pr.tar --max-growth 5% --junit growth.xml',
    '<%= config.bin %> diff app-main.tar app-pr.tar --html diff.html',
  ];

  static override args = {
    before: Args.string({ description: 'the image before the change', required: true }),
    after: Args.string({ description: 'the image after the change', required: true }),
  };

  static override flags = {
    ...formatFlags(['table', 'json', 'markdown']),
    files: Flags.string({
      description: 'changed files to list: the 20 largest, all, or none',
      options: ['top', 'all', 'none'],
      default: 'top',
    }),
    depth: integerFlag({
      description: 'directory depth of the per-directory totals',
      default: 2,
      min: 1,
      max: 32,
    }),
    platform: imageReadFlags.platform,
    'max-growth': Flags.string({
      description: 'fail (exit 1) when the image grew by more than this: bytes (10MB) or percent (5%)',
    }),
    junit: Flags.string({ description: 'write the --max-growth result as JUnit XML to this file' }),
    html: Flags.string({
      description: 'also write a self-contained HTML report of the comparison to this file',
      helpValue: 'FILE',
    }),
    ...registryFlags,
    concurrency: imageReadFlags.concurrency,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Diff);
    const growthText = flags['max-growth'];
    const growth = growthText === undefined ? undefined : parseGrowthLimit(growthText);
    if (growth !== undefined && !growth.ok) throw new UsageError(`--max-growth: ${growth.reason}`);
    if (flags.junit !== undefined && growth === undefined) throw new UsageError('--junit needs --max-growth');
    const format = flags.json ? 'json' : flags.format;
    const registry = await registrySetup(flags, { json: format === 'json', concurrency: flags.concurrency });
    // The table, Markdown and JSON list the 20 largest changes (or all, or none): keep only those.
    const listing = flags.files as FileListing;
    let result;
    try {
      result = await diffImages(args.before, args.after, {
        concurrency: flags.concurrency,
        depth: flags.depth,
        // The HTML page lists and maps every changed file.
        ...(listing === 'all' || flags.html !== undefined
          ? {}
          : { keepChanges: listing === 'none' ? 0 : TOP_FILES }),
        source: registry.options,
        ...(growth?.ok && growthText !== undefined
          ? { maxGrowth: { limit: growth.value, configured: growthText } }
          : {}),
        ...(flags.platform === undefined ? {} : { platform: parsePlatform(flags.platform) }),
      });
    } finally {
      registry.done();
    }
    const { before, after, diff, gate } = result;
    if (flags.html !== undefined) await writeDiffHtml(flags.html, before, after, diff);
    if (format === 'json') this.write(renderDiffJson(before, after, diff, listing, gate));
    else if (format === 'markdown') this.write(renderDiffMarkdown(before, after, diff, listing));
    else this.write(renderDiffTable(before, after, diff, { files: listing, width: this.outputWidth }));
    if (gate === null) return;
    if (format !== 'json') this.write('\n' + renderGateText(gate));
    if (flags.junit !== undefined) {
      const context = { reference: args.after, toolVersion: this.config.version, findings: [] };
      await writeGateReports(gate, { junit: flags.junit }, context);
    }
    if (!gate.passed) process.exitCode = EXIT_CODES.gateFailed;
  }
}
