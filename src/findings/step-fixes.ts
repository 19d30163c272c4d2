import { type Analysis, type StepFix, dockerfileLine } from '../model/index.js';
import { copyWithFlags } from './copy-flags.js';
import { sumClaims } from './finding-builder.js';
import { layerInstruction } from './layer-instruction.js';
import type { RuleFinding } from './rule.js';
import { chainRuns } from './run-rewrite.js';
import { redactSecrets } from './secret-names.js';
import type { StepEdit } from './step-edit.js';

/** Findings that change the same steps the same way: they become one fix. */
interface Group {
  kind: StepEdit['kind'];
  layers: number[];
  members: number[];
}

/** The fixes, and for each finding (by index) the index of the fix that settles it. */
export interface CombinedFixes {
  fixes: StepFix[];
  fixOf: (number | undefined)[];
}

/**
 * One fix per step. Findings whose edits touch the same steps are grouped (a RUN rewritten; RUN
 * layers chained; a COPY given flags), their edits applied together: every rewrite of a RUN's
 * command is applied in one pass wherever that RUN is shown, so a chained RUN also carries the
 * apt cleanup of its first step, and no fix shows a line another fix changes in its old form.
 * Findings whose change is text (USER, ENV, ADD for an archive, multi-stage) group by their `before`.
 * `findings` are ranked; fixes come in the order of their first finding.
 */
export function combineFixes(analysis: Analysis, findings: readonly RuleFinding[]): CombinedFixes {
  const rewrites = new Map<number, ((command: string) => string)[]>();
  for (const finding of findings) {
    const edit = finding.edit;
    if (edit?.kind !== 'run') continue;
    rewrites.set(edit.layer, [...(rewrites.get(edit.layer) ?? []), edit.rewrite]);
  }
  const command = (layer: number): string =>
    (rewrites.get(layer) ?? []).reduce(
      (line, rewrite) => rewrite(line),
      layerInstruction(analysis, layer).args,
    );

  const groups = new Map<string, Group>();
  const fixOf: (number | undefined)[] = findings.map(() => undefined);
  findings.forEach((finding, index) => {
    const placed = groupOf(finding);
    if (placed === undefined) return;
    const group = groups.get(placed.key) ?? { kind: placed.kind, layers: placed.layers, members: [] };
    group.members.push(index);
    groups.set(placed.key, group);
  });

  const fixes = [...groups.values()].map((group, fixIndex): StepFix => {
    const members = group.members.map((index) => findings[index] as RuleFinding);
    for (const index of group.members) fixOf[index] = fixIndex;
    const original = (layer: number): string => dockerfileLine(layerInstruction(analysis, layer));
    let before = group.layers.map(original).join('\n');
    let after: string;
    switch (group.kind) {
      case 'run':
        after = `RUN ${command(group.layers[0] ?? 0)}`;
        break;
      case 'chain':
        after = chainRuns(group.layers.map(command));
        break;
      case 'copy-flag': {
        const flags = new Map<'chown' | 'chmod', string>();
        for (const member of members) {
          if (member.edit?.kind === 'copy-flag') flags.set(member.edit.flag, member.edit.value);
        }
        after = copyWithFlags(layerInstruction(analysis, group.layers[0] ?? 0), flags);
        break;
      }
      case 'text': {
        // The rules' own text (already redacted): distinct afters of the same step, in rank order.
        before = members[0]?.advice.dockerfile?.before ?? '';
        after = [...new Set(members.map((member) => member.advice.dockerfile?.after ?? ''))].join('\n');
        break;
      }
    }
    return {
      step: group.layers[0] ?? null,
      layers: group.layers,
      before: redactSecrets(before),
      after: redactSecrets(after),
      findings: group.members.map((index) => ({ id: findings[index]?.id ?? '', index })),
      savingsBytes: sumClaims(members.flatMap((member) => member.claims)),
    };
  });
  return { fixes, fixOf };
}

/** The group a finding's change belongs to: the same kind of change to the same steps. */
function groupOf(finding: RuleFinding): { key: string; kind: Group['kind']; layers: number[] } | undefined {
  const edit = finding.edit;
  if (edit === undefined) {
    const dockerfile = finding.advice.dockerfile;
    if (dockerfile === undefined) return undefined;
    return { key: `text:${dockerfile.before}`, kind: 'text', layers: [] };
  }
  switch (edit.kind) {
    case 'run':
      return { key: `run:${edit.layer}`, kind: 'run', layers: [edit.layer] };
    case 'chain':
      return { key: `chain:${edit.layers.join(',')}`, kind: 'chain', layers: edit.layers };
    case 'copy-flag':
      return { key: `copy:${edit.layer}>${edit.drop}`, kind: 'copy-flag', layers: [edit.layer, edit.drop] };
    case 'text':
      return {
        key: `text:${finding.advice.dockerfile?.before ?? ''}`,
        kind: 'text',
        layers: edit.layers,
      };
  }
}
