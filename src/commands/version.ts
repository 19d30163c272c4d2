import { BaseCommand } from '../cli/base-command.js';

export default class Version extends BaseCommand {
  static override summary =
    'Show the version of imgscope and the platform and Node.js it runs on (as --version).';

  static override examples = ['<%= config.bin %> version'];

  async run(): Promise<void> {
    await this.parse(Version);
    this.write(`${this.config.userAgent}\n`);
  }
}
