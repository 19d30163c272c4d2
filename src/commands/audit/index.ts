import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { oneLine } from '../../cli/failure.js';
import { gateConfigOf, gateFlags } from '../../cli/gate-flags.js';
import { imageReadFlags } from '../../cli/common-flags.js';
import { integerFlag } from '../../cli/integer-flag.js';
import { registryFlags, registrySetup } from '../../cli/registry-flags.js';
import { auditExitCode, parseShard } from '../../audit/index.js';
import { UsageError } from '../../errors.js';
import { renderAuditJson } from '../../render/index.js';
import { renderSummary, summaryFlags } from '../../cli/audit-summary-flags.js';
import {
  auditImages,
  DEFAULT_AUDIT_PARALLEL,
  listAuditTargets,
  registryOf,
  ruleSettings,
  writeAuditSummary,
  type AuditRun,
} from '../../services/index.js';
import { parsePlatform } from '../../sources/index.js';
import { plural } from '../../model/index.js';

// The report-file flags of analyze --ci are per image; an audit reports in its summary.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const { junit, sarif, markdown, ...auditGateFlags } = gateFlags;

export default class Audit extends BaseCommand {
  static override summary =
    'Audit many images: one JSON line per image, resumable, sharded, and a fleet summary.';

  static override description = `Images come from the arguments, from a file (-f, one reference per line, # comments), from a repository's tags (REPO --tags '>=1.20 <2', --tags-regex, --variant), or from a whole registry (--catalog HOST). Each image is analyzed as imgscope analyze does and its result appended as one JSON line to DIR/results.jsonl (DIR/results-shard-I-of-N.jsonl with --shard) as soon as it is done; a rerun with the same --out skips every image whose manifest digest is already there.

Tags: a tag is a version when it reads as [v]N[.N[.N]][PRERELEASE][-VARIANT]; it is coerced to semver (1.25 is 1.25.0, 3.10rc1 is 3.10.0-rc1) and tested against the --tags range; the text after the first hyphen is a variant, matched only by --variant (exactly; without --variant only tags without one). --tags-regex adds any tag whose name matches. Listings follow Link pages, at most 1000 pages and 1,000,000 names; a page linking back to one already read stops the listing (exit 3).

--shard INDEX/COUNT audits only the repositories that hash to INDEX (a repository's images stay together); imgscope audit merge DIR... gives the summary of all shards, the same bytes as one unsharded run.

Exit codes: 0 every image audited (and, with --ci, passed); 1 with --ci, an image failed its gate; 2 bad usage or input, or an image failed with exit 2; 3 a listing failed, or an image could not be read from its registry; 70 internal error. A failed image never stops the others.`;

  static override examples = [
    '<%= config.bin %> audit app:1.4 app:1.5 --out audit/',
    '<%= config.bin %> audit -f images.txt --out audit/ --ci',
    "<%= config.bin %> audit registry.example.com/app --tags '>=1.20 <2' --variant alpine --out audit/",
    '<%= config.bin %> audit --catalog registry.example.com --shard 0/4 --out /results',
  ];

  static override strict = false;

  static override args = {
    images: Args.string({ description: 'images (or, with --tags/--tags-regex, repositories) to audit' }),
  };

  static override flags = {
    out: Flags.string({
      char: 'o',
      description: 'directory of the results files (created; reused to resume)',
      required: true,
      helpValue: 'DIR',
    }),
    file: Flags.string({
      char: 'f',
      description: 'file of image references, one per line',
      helpValue: 'FILE',
    }),
    tags: Flags.string({
      description: 'semver range over the tags of each repository argument',
      helpValue: 'RANGE',
    }),
    'tags-regex': Flags.string({
      description: 'also audit tags matching this regular expression',
      helpValue: 'REGEX',
    }),
    variant: Flags.string({
      description: 'with --tags: the tag suffix after the first hyphen (alpine, slim)',
    }),
    catalog: Flags.string({
      description: 'audit every repository of this registry (GET /v2/_catalog)',
      helpValue: 'HOST',
    }),
    shard: Flags.string({
      description: 'audit shard INDEX of COUNT (0-based): INDEX/COUNT',
      helpValue: 'INDEX/COUNT',
    }),
    parallel: integerFlag({
      description: 'images audited at once',
      default: DEFAULT_AUDIT_PARALLEL,
      min: 1,
      max: 64,
    }),
    ...summaryFlags,
    platform: imageReadFlags.platform,
    concurrency: imageReadFlags.concurrency,
    ignore: Flags.string({ description: 'skip a finding rule by id (repeatable)', multiple: true }),
    ...registryFlags,
    ...auditGateFlags,
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Audit);
    const images = argv as string[];
    const tagged = flags.tags !== undefined || flags['tags-regex'] !== undefined;
    if (flags.variant !== undefined && flags.tags === undefined)
      throw new UsageError('--variant needs --tags');
    if (flags.catalog !== undefined && (images.length > 0 || flags.file !== undefined)) {
      throw new UsageError('--catalog audits a whole registry: give no images and no -f');
    }
    if (tagged && flags.file !== undefined)
      throw new UsageError('--tags and --tags-regex select tags of repository arguments, not of -f');
    if (flags.catalog === undefined && images.length === 0 && flags.file === undefined) {
      throw new UsageError('nothing to audit: name images, -f FILE, or --catalog HOST');
    }
    const shard = flags.shard === undefined ? null : parseShard(flags.shard);
    const gateConfig = await gateConfigOf(flags);
    const format = flags.json ? 'json' : flags.format;
    const registry = await registrySetup(flags, { json: true, concurrency: flags.concurrency });
    const warn = (line: string): void => void process.stderr.write(`imgscope: warning: ${oneLine(line)}\n`);
    const targets = await listAuditTargets({
      images,
      ...(flags.file === undefined ? {} : { file: flags.file }),
      ...(tagged
        ? {
            tags: {
              ...(flags.tags === undefined ? {} : { range: flags.tags }),
              ...(flags['tags-regex'] === undefined ? {} : { regex: flags['tags-regex'] }),
              ...(flags.variant === undefined ? {} : { variant: flags.variant }),
            },
          }
        : {}),
      ...(flags.catalog === undefined ? {} : { catalog: flags.catalog }),
      shard,
      registry: { ...registry.options.registry, env: process.env },
    });
    // Credentials given on the command line are for one registry; never send them to another.
    const registries = new Set(targets.map((target) => registryOf(target.repository)));
    if (flags.username !== undefined && registries.size > 1) {
      throw new UsageError(`--username applies to one registry; these images are on ${registries.size}`, {
        hint: 'put the credentials of each registry in a Docker config.json (DOCKER_CONFIG) instead',
      });
    }
    const run = await auditImages(targets, {
      outDir: flags.out,
      shard,
      parallel: flags.parallel,
      concurrency: flags.concurrency,
      source: registry.options,
      rules: ruleSettings(flags.ignore ?? [], gateConfig?.findings.rules ?? {}),
      gate: gateConfig,
      top: flags.top,
      onWarning: warn,
      ...(flags.platform === undefined ? {} : { platform: parsePlatform(flags.platform) }),
    });
    this.write(renderSummary(run.summary, format));
    if (flags.summary !== undefined) await writeAuditSummary(flags.summary, renderAuditJson(run.summary));
    process.stderr.write(statsLine(run));
    process.exitCode = auditExitCode(run.summary);
  }
}

function statsLine(run: AuditRun): string {
  const s = run.stats;
  const images = plural(s.analyzed + s.reused + s.failed, 'image');
  const reads = `${plural(s.layerReads, 'layer read')} for ${plural(s.layerUses, 'layer')}`;
  return `imgscope: audited ${images} (${s.analyzed} analyzed, ${s.reused} already done, ${s.failed} failed); ${reads}; results in ${run.resultsFile}\n`;
}
