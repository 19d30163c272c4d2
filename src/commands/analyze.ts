import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { integerFlag } from '../cli/integer-flag.js';
import { formatFlags, imageReadFlags } from '../cli/common-flags.js';
import { gateConfigOf, gateFlags } from '../cli/gate-flags.js';
import { registryFlags, registrySetup } from '../cli/registry-flags.js';
import { stdoutIsTerminal } from '../cli/standard-streams.js';
import { EXIT_CODES, UsageError } from '../errors.js';
import type { Analysis, FindingsReport, GateResult, LayerFile } from '../model/index.js';
import {
  analysisToJson,
  renderAnalysisJson,
  renderAnalysisTable,
  renderGateText,
  renderGithubAnnotations,
} from '../render/index.js';
import {
  analyzeImageReport,
  evaluateImageGate,
  layerFileLists,
  ruleSettings,
  sarifFindings,
  writeAnalysisHtml,
  writeGateReports,
  type ImageReport,
} from '../services/index.js';
import { parsePlatform } from '../sources/index.js';

export default class Analyze extends BaseCommand {
  static override summary = 'Report the size, waste and efficiency of an image, layer by layer.';

  static override description = `IMAGE is a registry reference (nginx:1.17, ghcr.io/org/app:tag, host:5000/app@sha256:..., optionally docker://...), a docker save tar, an OCI layout directory or OCI archive (recognised by content), or a transport-prefixed reference: docker-archive:PATH, oci:DIR[:TAG], oci-archive:PATH[:TAG], docker-daemon:NAME.

Registry credentials come from --username/--password-stdin, REGISTRY_AUTH_FILE, $DOCKER_CONFIG/config.json or ~/.docker/config.json (auths, credHelpers, credsStore). HTTPS_PROXY/HTTP_PROXY/NO_PROXY are honoured. Downloaded blobs are cached by digest in $XDG_CACHE_HOME/imgscope (see imgscope cache prune).

Efficiency, wasted bytes and user wasted percent are computed exactly as dive computes them, so .dive-ci thresholds keep their meaning. Reclaimable bytes are what squashing all layers into one would save.

With --ci the image is gated: dive's rules (from ./.dive-ci, --ci-config or flags, with dive's defaults), the budgets and findings settings of the nearest .imgscope.yml (or --config), each printed PASS/FAIL/WARN/SKIP; --junit, --sarif and --markdown write reports, GITHUB_STEP_SUMMARY gets the Markdown summary and GITHUB_ACTIONS=true adds ::error annotations. See docs/ci.md.

Findings (imgscope rules lists them) are ranked by severity, then by the bytes their advice saves; each comes with the Dockerfile change to make. --ignore skips a rule; with --ci, findings.rules in .imgscope.yml (or --finding-rule) turns rules off or re-grades them.

Exit codes: 0 success, 1 a CI rule failed (--ci), 2 bad usage, bad input or bad configuration, 3 registry/network failure, 70 internal error.`;

  static override examples = [
    '<%= config.bin %> analyze nginx:1.17',
    '<%= config.bin %> analyze ghcr.io/org/app:1.4 --no-layers',
    'echo "$TOKEN" | <%= config.bin %> analyze registry.example.com/app:1 --username ci --password-stdin',
    '<%= config.bin %> analyze fixtures/example.tar',
    '<%= config.bin %> analyze oci:./build/layout:latest --platform linux/arm64',
    '<%= config.bin %> analyze app.tar --json > report.json',
    '<%= config.bin %> analyze app.tar --ignore runs-as-root --ignore many-small-layers',
    '<%= config.bin %> analyze app.tar --ci --highestWastedBytes 20MB --junit gate.xml',
    '<%= config.bin %> analyze app.tar --html report.html',
    '<%= config.bin %> analyze app.tar --format json --layer-files > files.json',
  ];

  static override args = {
    image: Args.string({
      description: 'image to analyze (registry reference, path or transport:reference)',
      required: true,
    }),
  };

  static override flags = {
    ...formatFlags(['table', 'json']),
    top: integerFlag({
      description: 'how many inefficient files and largest packages to list in the table',
      default: 10,
      min: 0,
    }),
    platform: imageReadFlags.platform,
    layers: Flags.boolean({
      description: 'read the layers (--no-layers: manifest, config and history only, in well under a second)',
      default: true,
      allowNo: true,
    }),
    ...registryFlags,
    concurrency: imageReadFlags.concurrency,
    ignore: Flags.string({
      description: 'skip a finding rule by id (repeatable; see imgscope rules)',
      multiple: true,
    }),
    'layer-files': Flags.boolean({
      description:
        'with --format json: list every entry of every layer (path, type, size, mode, owner, link, change)',
      default: false,
    }),
    html: Flags.string({
      description:
        'also write a self-contained HTML report (treemap, layer chart, file explorer) to this file',
      helpValue: 'FILE',
    }),
    ...gateFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Analyze);
    // Configuration problems are reported before the analysis, which can take a while.
    const gateConfig = await gateConfigOf(flags);
    const rules = ruleSettings(flags.ignore ?? [], gateConfig?.findings.rules ?? {});
    const format = flags.json ? 'json' : flags.format;
    if (flags['layer-files'] && format !== 'json') throw new UsageError('--layer-files needs --format json');
    const registry = await registrySetup(flags, { json: format === 'json', concurrency: flags.concurrency });
    let report: ImageReport;
    try {
      report = await analyzeImageReport(args.image, {
        concurrency: flags.concurrency,
        rules,
        metadataOnly: !flags.layers,
        source: registry.options,
        ...(flags.platform === undefined ? {} : { platform: parsePlatform(flags.platform) }),
      });
    } finally {
      registry.done();
    }
    const { analysis, findings } = report;
    const layerFiles = flags['layer-files'] ? layerFileLists(analysis) : undefined;
    if (gateConfig !== null) {
      const gate = evaluateImageGate(analysis, findings.findings, gateConfig);
      if (flags.html !== undefined) await writeAnalysisHtml(flags.html, analysis, findings, gate);
      await this.reportGate(analysis, findings, gate, format === 'json', { ...flags, layerFiles });
      if (!gate.passed) process.exitCode = EXIT_CODES.gateFailed;
      return;
    }
    if (flags.html !== undefined) await writeAnalysisHtml(flags.html, analysis, findings, null);
    this.write(
      format === 'json'
        ? renderAnalysisJson(analysis, findings, { layerFiles })
        : renderAnalysisTable(analysis, { top: flags.top, width: this.outputWidth }, findings),
    );
  }

  /** Prints the analysis with the gate, writes the report files, annotates GitHub runs. */
  private async reportGate(
    analysis: Analysis,
    findings: FindingsReport,
    gate: GateResult,
    json: boolean,
    flags: {
      top: number;
      junit?: string | undefined;
      sarif?: string | undefined;
      markdown?: string | undefined;
      layerFiles?: LayerFile[][] | undefined;
    },
  ): Promise<void> {
    const reference = analysis.image.reference;
    if (json) {
      const body = analysisToJson(analysis, findings, { layerFiles: flags.layerFiles });
      this.write(JSON.stringify({ ...body, gate }, null, 2) + '\n');
    } else {
      const color = stdoutIsTerminal() && process.env['NO_COLOR'] === undefined;
      this.write(renderAnalysisTable(analysis, { top: flags.top, width: this.outputWidth }, findings));
      this.write('\n' + renderGateText(gate, { color }));
    }
    const stepSummary = process.env['GITHUB_STEP_SUMMARY'];
    await writeGateReports(
      gate,
      {
        ...(flags.junit === undefined ? {} : { junit: flags.junit }),
        ...(flags.sarif === undefined ? {} : { sarif: flags.sarif }),
        ...(flags.markdown === undefined ? {} : { markdown: flags.markdown }),
        ...(stepSummary === undefined ? {} : { githubStepSummary: stepSummary }),
      },
      { reference, toolVersion: this.config.version, findings: sarifFindings(findings.findings) },
    );
    // Workflow commands on stderr keep stdout clean for --json; the runner reads both streams.
    if (process.env['GITHUB_ACTIONS'] === 'true')
      process.stderr.write(renderGithubAnnotations(gate, reference));
  }
}
