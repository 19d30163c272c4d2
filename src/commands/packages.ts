import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../cli/base-command.js';
import { formatFlags, imageReadFlags } from '../cli/common-flags.js';
import { registryFlags, registrySetup } from '../cli/registry-flags.js';
import { PACKAGE_ECOSYSTEMS, type PackageEcosystem } from '../model/index.js';
import {
  renderPackagesCsv,
  renderPackagesCycloneDx,
  renderPackagesJson,
  renderPackagesTable,
} from '../render/index.js';
import { listImagePackages } from '../services/index.js';
import { parsePlatform } from '../sources/index.js';

export default class Packages extends BaseCommand {
  static override summary =
    'List the packages installed in an image, largest first, with the layer that installed each.';

  static override description = `IMAGE is any image analyze accepts. Packages are read from the image's own metadata: dpkg (Debian, Ubuntu, distroless), apk (Alpine), rpm (rpmdb.sqlite), Python (*.dist-info, *.egg-info) and npm (node_modules/*/package.json).

Each package's size is what its files weigh in the final filesystem (from its file list; "~" marks dpkg's Installed-Size estimate where the image has no file list). The layer is the one that installed it; later layers that changed it are listed. For apt-installed packages the reason says whether it was requested, pulled in as a dependency, or present only through a Recommends/Suggests.

--format cyclonedx writes a CycloneDX 1.5 JSON SBOM (components with purls; bytes, layer and reason as imgscope:* properties).

Exit codes: 0 success, 2 bad usage or bad input, 3 registry/network failure, 70 internal error.`;

  static override examples = [
    '<%= config.bin %> packages debian:bookworm',
    '<%= config.bin %> packages app.tar --ecosystem npm --format csv > npm-packages.csv',
    '<%= config.bin %> packages app.tar --json',
    '<%= config.bin %> packages app.tar --format cyclonedx > sbom.cdx.json',
  ];

  static override args = {
    image: Args.string({
      description: 'image to read (registry reference, path or transport:reference)',
      required: true,
    }),
  };

  static override flags = {
    ...formatFlags(['table', 'json', 'csv', 'cyclonedx']),
    ecosystem: Flags.string({
      description: 'only packages of this ecosystem (repeatable)',
      options: [...PACKAGE_ECOSYSTEMS],
      multiple: true,
      default: [],
    }),
    platform: imageReadFlags.platform,
    ...registryFlags,
    concurrency: imageReadFlags.concurrency,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Packages);
    const format = flags.json ? 'json' : flags.format;
    const registry = await registrySetup(flags, { json: format !== 'table', concurrency: flags.concurrency });
    let list;
    try {
      list = await listImagePackages(args.image, {
        concurrency: flags.concurrency,
        ecosystems: flags.ecosystem as PackageEcosystem[],
        source: registry.options,
        ...(flags.platform === undefined ? {} : { platform: parsePlatform(flags.platform) }),
      });
    } finally {
      registry.done();
    }
    const { analysis, packages, filtered } = list;
    if (format === 'json') this.write(renderPackagesJson(analysis, packages, filtered));
    else if (format === 'csv') this.write(renderPackagesCsv(packages));
    else if (format === 'cyclonedx')
      this.write(renderPackagesCycloneDx(analysis, packages, this.config.version));
    else
      this.write(
        renderPackagesTable(packages, analysis.packages, analysis.sizeBytes, this.outputWidth, filtered),
      );
  }
}
