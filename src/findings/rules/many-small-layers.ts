import { type Analysis, type Instruction, parseCreatedBy } from '../../model/index.js';
import { baseLayerCount } from '../base-layers.js';
import { buildFinding } from '../finding-builder.js';
import { chainRuns } from '../run-rewrite.js';
import type { Rule, RuleFinding, RuleOptions } from '../rule.js';

/** hadolint DL3059 ("Multiple consecutive RUN instructions. Consider consolidation."). */
export const manySmallLayers: Rule = {
  id: 'many-small-layers',
  severity: 'info',
  title: 'Consecutive RUN layers that could be one',
  description:
    'Runs of consecutive RUN instructions (outside the base image) that each make a layer; one RUN chained with && makes one layer and lets a step clean up after another.',
  related: ['hadolint DL3059'],
  detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
    const base = baseLayerCount(analysis);
    const findings: RuleFinding[] = [];
    let run: { layer: number; instruction: Instruction }[] = [];
    const flush = (): void => {
      if (run.length >= options.minRunLayers) {
        const first = run[0]?.layer ?? 0;
        const last = run.at(-1)?.layer ?? first;
        findings.push(
          buildFinding(
            this,
            analysis,
            {
              layerIndex: first,
              message: `Layers ${first} to ${last} are ${run.length} consecutive RUN instructions.`,
              advice: {
                text: 'Chain related commands into one RUN with && (and remove temporary files in that same RUN).',
                dockerfile: {
                  before: run.map(({ instruction }) => `RUN ${instruction.args}`).join('\n'),
                  after: chainRuns(run.map(({ instruction }) => instruction.args)),
                },
              },
              edit: { kind: 'chain', layers: run.map(({ layer }) => layer) },
            },
            options.maxPaths,
          ),
        );
      }
      run = [];
    };
    for (const entry of analysis.history) {
      const instruction = parseCreatedBy(entry.createdBy);
      if (entry.layerIndex === null || entry.layerIndex < base) {
        // Metadata steps (ENV, LABEL...) make no layer; only other instructions end a run.
        if (entry.layerIndex !== null || !['ENV', 'ARG', 'LABEL', ''].includes(instruction.keyword)) flush();
        continue;
      }
      if (instruction.keyword === 'RUN') run.push({ layer: entry.layerIndex, instruction });
      else flush();
    }
    flush();
    return findings;
  },
};
