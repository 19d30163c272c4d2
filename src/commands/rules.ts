import { BaseCommand } from '../cli/base-command.js';
import { formatFlags } from '../cli/common-flags.js';
import { renderRulesJson, renderRulesTable } from '../render/index.js';
import { listRules } from '../services/index.js';

export default class Rules extends BaseCommand {
  static override summary = 'List the finding rules: id, severity, what each checks, related linter ids.';

  static override description = `Rule ids are stable: use them with analyze --ignore ID. Related ids name the same check in hadolint (DLxxxx, on the Dockerfile) and dockle (CIS-DI-/DKL-DI-/DKL-LI-, on the image).`;

  static override examples = ['<%= config.bin %> rules', '<%= config.bin %> rules --json'];

  static override flags = {
    ...formatFlags(['table', 'json']),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Rules);
    const rules = listRules();
    const format = flags.json ? 'json' : flags.format;
    this.write(format === 'json' ? renderRulesJson(rules) : renderRulesTable(rules, this.outputWidth));
  }
}
