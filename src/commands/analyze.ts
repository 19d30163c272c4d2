import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { registryFlags, registrySetup } from '../cli/registry-flags.js';
import { renderAnalysisJson, renderAnalysisTable } from '../render/index.js';
import { analyzeImage, DEFAULT_LAYER_CONCURRENCY } from '../services/index.js';
import { parsePlatform } from '../sources/index.js';

export default class Analyze extends BaseCommand {
  static override summary = 'Report the size, waste and efficiency of an image, layer by layer.';

  static override description = `IMAGE is a registry reference (nginx:1.17, ghcr.io/org/app:tag, host:5000/app@sha256:..., optionally docker://...), a docker save tar, an OCI layout directory or OCI archive (recognised by content), or a transport-prefixed reference: docker-archive:PATH, oci:DIR[:TAG], oci-archive:PATH[:TAG], docker-daemon:NAME.

Registry credentials come from --username/--password-stdin, REGISTRY_AUTH_FILE, $DOCKER_CONFIG/config.json or ~/.docker/config.json (auths, credHelpers, credsStore). HTTPS_PROXY/HTTP_PROXY/NO_PROXY are honoured. Downloaded blobs are cached by digest in $XDG_CACHE_HOME/imgscope (see imgscope cache prune).

Efficiency, wasted bytes and user wasted percent are computed exactly as dive computes them, so .dive-ci thresholds keep their meaning. Reclaimable bytes are what squashing all layers into one would save.

Exit codes: 0 success, 2 bad usage or bad input, 3 registry/network failure, 70 internal error.`;

  static override examples = [
    '<%= config.bin %> analyze nginx:1.17',
    '<%= config.bin %> analyze ghcr.io/org/app:1.4 --no-layers',
    'echo "$TOKEN" | <%= config.bin %> analyze registry.example.com/app:1 --username ci --password-stdin',
    '<%= config.bin %> analyze fixtures/example.tar',
    '<%= config.bin %> analyze oci:./build/layout:latest --platform linux/arm64',
    '<%= config.bin %> analyze app.tar --json > report.json',
  ];

  static override args = {
    image: Args.string({
      description: 'image to analyze (registry reference, path or transport:reference)',
      required: true,
    }),
  };

  static override flags = {
    format: Flags.string({
      char: 'f',
      description: 'output format',
      options: ['table', 'json'],
      default: 'table',
    }),
    json: Flags.boolean({ description: 'same as --format json', default: false }),
    top: Flags.integer({
      description: 'how many inefficient files to list in the table',
      default: 10,
      min: 0,
    }),
    platform: Flags.string({
      description: 'platform to pick from a multi-platform image: os/arch[/variant]',
    }),
    layers: Flags.boolean({
      description: 'read the layers (--no-layers: manifest, config and history only, in well under a second)',
      default: true,
      allowNo: true,
    }),
    ...registryFlags,
    concurrency: Flags.integer({
      description: 'layers downloaded and read at once',
      default: DEFAULT_LAYER_CONCURRENCY,
      min: 1,
      max: 32,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Analyze);
    const format = flags.json ? 'json' : flags.format;
    const registry = await registrySetup(flags, { json: format === 'json', concurrency: flags.concurrency });
    let analysis;
    try {
      analysis = await analyzeImage(args.image, {
        concurrency: flags.concurrency,
        metadataOnly: !flags.layers,
        source: registry.options,
        ...(flags.platform === undefined ? {} : { platform: parsePlatform(flags.platform) }),
      });
    } finally {
      registry.done();
    }
    this.write(
      format === 'json'
        ? renderAnalysisJson(analysis)
        : renderAnalysisTable(analysis, { top: flags.top, width: process.stdout.columns ?? 120 }),
    );
  }
}
