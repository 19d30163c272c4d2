/** How a threshold's text is read: a 0..1 fraction, a size with units, or a whole number. */
export type ThresholdType = 'fraction' | 'bytes' | 'count';

export type DiveRuleId = 'lowestEfficiency' | 'highestWastedBytes' | 'highestUserWastedPercent';
export type BudgetRuleId =
  | 'maxImageSize'
  | 'maxCompressedSize'
  | 'maxLayerSize'
  | 'maxLayers'
  | 'maxReclaimableBytes'
  | 'maxReclaimablePercent';
export type ThresholdRuleId = DiveRuleId | BudgetRuleId;

export interface ThresholdRuleSpec {
  id: ThresholdRuleId;
  kind: 'dive' | 'budget';
  type: ThresholdType;
  /** `min` fails when the value is below the threshold, `max` when it is above (both strict, as dive). */
  direction: 'min' | 'max';
  /** The default as config text; null when the rule is off unless configured. */
  defaultText: string | null;
  /** Flag names without dashes: dive's own flag and a kebab-case one for dive's rules, kebab-case for budgets. */
  flags: readonly string[];
  /** One line for `--help`, the JSON Schema, JUnit and SARIF. */
  description: string;
}

/** Every threshold rule, in report order: dive's three first, then the budgets. */
export const THRESHOLD_RULES: readonly ThresholdRuleSpec[] = [
  {
    id: 'lowestEfficiency',
    kind: 'dive',
    type: 'fraction',
    direction: 'min',
    defaultText: '0.9',
    flags: ['lowestEfficiency', 'lowest-efficiency'],
    description: "Fail when dive's image efficiency score (0..1) is below this.",
  },
  {
    id: 'highestWastedBytes',
    kind: 'dive',
    type: 'bytes',
    direction: 'max',
    defaultText: null,
    flags: ['highestWastedBytes', 'highest-wasted-bytes'],
    description: 'Fail when the bytes of files stored in more than one layer exceed this (e.g. 20MB).',
  },
  {
    id: 'highestUserWastedPercent',
    kind: 'dive',
    type: 'fraction',
    direction: 'max',
    defaultText: '0.1',
    flags: ['highestUserWastedPercent', 'highest-user-wasted-percent'],
    description:
      'Fail when wasted bytes exceed this fraction (0..1) of the bytes added on top of the base layer.',
  },
  {
    id: 'maxImageSize',
    kind: 'budget',
    type: 'bytes',
    direction: 'max',
    defaultText: null,
    flags: ['max-image-size'],
    description: 'Fail when the uncompressed image size exceeds this (e.g. 500MB).',
  },
  {
    id: 'maxCompressedSize',
    kind: 'budget',
    type: 'bytes',
    direction: 'max',
    defaultText: null,
    flags: ['max-compressed-size'],
    description: 'Fail when the compressed (pull) size of the layers exceeds this.',
  },
  {
    id: 'maxLayerSize',
    kind: 'budget',
    type: 'bytes',
    direction: 'max',
    defaultText: null,
    flags: ['max-layer-size'],
    description: 'Fail when any single layer is larger than this (uncompressed).',
  },
  {
    id: 'maxLayers',
    kind: 'budget',
    type: 'count',
    direction: 'max',
    defaultText: null,
    flags: ['max-layers'],
    description: 'Fail when the image has more layers than this.',
  },
  {
    id: 'maxReclaimableBytes',
    kind: 'budget',
    type: 'bytes',
    direction: 'max',
    defaultText: null,
    flags: ['max-reclaimable-bytes'],
    description: 'Fail when squashing the layers would save more than this many bytes.',
  },
  {
    id: 'maxReclaimablePercent',
    kind: 'budget',
    type: 'fraction',
    direction: 'max',
    defaultText: null,
    flags: ['max-reclaimable-percent'],
    description: 'Fail when reclaimable bytes exceed this fraction (0..1) of the image size.',
  },
];

export const THRESHOLD_RULE_IDS: readonly ThresholdRuleId[] = THRESHOLD_RULES.map((r) => r.id);

export function thresholdRuleSpec(id: ThresholdRuleId): ThresholdRuleSpec {
  const spec = THRESHOLD_RULES.find((r) => r.id === id);
  if (spec === undefined) throw new Error(`unknown threshold rule ${id}`);
  return spec;
}

export function isThresholdRuleId(key: string): key is ThresholdRuleId {
  return (THRESHOLD_RULE_IDS as readonly string[]).includes(key);
}
