import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { oneLine } from '../../cli/failure.js';
import { auditExitCode } from '../../audit/index.js';
import { renderAuditJson } from '../../render/index.js';
import { mergeAuditResults, writeAuditSummary } from '../../services/index.js';
import { renderSummary, summaryFlags } from '../../cli/audit-summary-flags.js';

export default class AuditMerge extends BaseCommand {
  static override summary = "Combine the results directories of an audit's shards into one fleet summary.";

  static override description = `Reads every results file (results.jsonl, results-shard-I-of-N.jsonl) in each DIR and prints the summary of all their images: byte for byte the summary one unsharded audit of the same images gives. Where a reference appears more than once, the last line read wins (DIRs in the order given, files by name).

Exit codes: 0 every image audited (and passed, where gated); 1 an image failed its gate; 2 bad usage or a DIR missing; 3 an image could not be read from its registry; 70 internal error.`;

  static override examples = [
    '<%= config.bin %> audit merge /results --summary /results/summary.json --format markdown',
  ];

  static override strict = false;

  static override args = {
    dirs: Args.string({ description: 'results directories of the shards', required: true }),
  };

  static override flags = { ...summaryFlags };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(AuditMerge);
    const summary = await mergeAuditResults(argv as string[], {
      top: flags.top,
      onWarning: (line) => void process.stderr.write(`imgscope: warning: ${oneLine(line)}\n`),
    });
    this.write(renderSummary(summary, flags.json ? 'json' : flags.format));
    if (flags.summary !== undefined) await writeAuditSummary(flags.summary, renderAuditJson(summary));
    process.exitCode = auditExitCode(summary);
  }
}
