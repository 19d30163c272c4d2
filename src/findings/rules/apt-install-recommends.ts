import { EntryTable } from '../../model/index.js';
import { buildFinding } from '../finding-builder.js';
import { layerInstruction, runRewrite } from '../layer-instruction.js';
import { fixAptRun, installsRecommends, keepsAptArchives } from '../package-advice.js';
import type { Rule, RuleFinding } from '../rule.js';

/** hadolint DL3015: "Avoid additional packages by specifying --no-install-recommends". */
export const aptInstallRecommends: Rule = {
  id: 'apt-install-recommends',
  severity: 'warning',
  title: 'apt-get install without --no-install-recommends',
  description:
    'A RUN that installs packages with apt-get/apt without --no-install-recommends, which also installs every recommended package (often compilers, docs, extra libraries).',
  related: ['hadolint DL3015'],
  detect(analysis, options) {
    const findings: RuleFinding[] = [];
    for (const layer of analysis.layers) {
      const instruction = layerInstruction(analysis, layer.index);
      if (instruction.keyword !== 'RUN' || !installsRecommends(instruction.args)) continue;
      const entries = analysis.contents[layer.index]?.entries ?? new EntryTable();
      const rewrite = runRewrite(analysis, layer.index, (command) =>
        fixAptRun(command, { clean: keepsAptArchives(entries) }),
      );
      findings.push(
        buildFinding(
          this,
          analysis,
          {
            layerIndex: layer.index,
            message: `Layer ${layer.index} installs packages with their recommended packages.`,
            ...(rewrite === undefined ? {} : { edit: rewrite.edit }),
            advice: {
              text: 'Add --no-install-recommends to apt-get install, and add back only the packages the application needs.',
              ...(rewrite === undefined ? {} : { dockerfile: rewrite.dockerfile }),
            },
          },
          options.maxPaths,
        ),
      );
    }
    return findings;
  },
};
