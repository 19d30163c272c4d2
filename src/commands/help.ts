import { Args, loadHelpClass } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { unknownCommandMessage } from '../cli/unknown-command.js';
import { UsageError } from '../errors.js';

export default class Help extends BaseCommand {
  static override summary = 'Show help for imgscope or for one of its commands.';

  static override examples = [
    '<%= config.bin %> help',
    '<%= config.bin %> help analyze',
    '<%= config.bin %> help cache prune',
  ];

  static override strict = false;

  static override args = {
    command: Args.string({ description: 'the command to explain (both words for cache list)' }),
  };

  async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    const words = argv.map(String);
    const id = words.join(':');
    if (id !== '' && this.config.findCommand(id) === undefined && this.config.findTopic(id) === undefined) {
      throw new UsageError(unknownCommandMessage(id, this.config));
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config, this.config.pjson.oclif.helpOptions).showHelp(words);
  }
}
