import { type Analysis, type Instruction, dockerfileLine, parseCreatedBy } from '../model/index.js';
import type { StepChange } from './step-edit.js';

const parsed = new WeakMap<Analysis, Instruction[]>();

/** The instruction that made a layer, from its history entry (parsed once per analysis). */
export function layerInstruction(analysis: Analysis, layerIndex: number): Instruction {
  let instructions = parsed.get(analysis);
  if (instructions === undefined) {
    instructions = analysis.layers.map((layer) => parseCreatedBy(layer.createdBy));
    parsed.set(analysis, instructions);
  }
  return instructions[layerIndex] ?? parseCreatedBy('');
}

/**
 * Before/after for a RUN layer rewritten by `fix`; undefined when the layer is not a RUN or
 * `fix` changes nothing.
 */
export function runRewrite(
  analysis: Analysis,
  layerIndex: number,
  fix: (command: string) => string,
): StepChange | undefined {
  const instruction = layerInstruction(analysis, layerIndex);
  if (instruction.keyword !== 'RUN' || instruction.args === '') return undefined;
  const after = fix(instruction.args);
  if (after === instruction.args) return undefined;
  return {
    dockerfile: { before: dockerfileLine(instruction), after: `RUN ${after}` },
    edit: { kind: 'run', layer: layerIndex, rewrite: fix },
  };
}
