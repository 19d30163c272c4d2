export { parseBytes } from './parse-bytes.js';
export { parseGoFloat } from './parse-go-float.js';
export type { Parsed } from './parsed.js';
export {
  THRESHOLD_RULES,
  THRESHOLD_RULE_IDS,
  thresholdRuleSpec,
  isThresholdRuleId,
  type ThresholdRuleId,
  type ThresholdRuleSpec,
  type ThresholdType,
  type DiveRuleId,
  type BudgetRuleId,
} from './rule-catalog.js';
export { parseThreshold, isDisabledText, defaultThreshold, type Threshold } from './threshold.js';
export type {
  GateConfig,
  GateConfigLayer,
  ParsedConfigLayer,
  ConfigIssue,
  FailOn,
  FindingRuleSetting,
  FindingsGateConfig,
} from './gate-config.js';
export { parseDiveCiFile } from './dive-ci-file.js';
export { parseImgscopeConfigFile } from './imgscope-config-file.js';
export { parseGateFlags, THRESHOLD_FLAG_NAMES, type GateFlagValues } from './flag-config.js';
export { resolveGateConfig, configErrorFor } from './resolve-config.js';
export { gateFindings, adviceText, flattenFinding } from './gate-findings.js';
export { evaluateGate } from './evaluate-gate.js';
export type { GateAnalysis, GateFinding } from './gate-input.js';
export { humanBytes, describeBytes } from './format-values.js';
export { FAIL_ON_VALUES, SEVERITIES } from './finding-settings.js';
export { parseGrowthLimit, evaluateGrowth, type GrowthLimit } from './growth-gate.js';
export { didYouMean } from './closest-word.js';
