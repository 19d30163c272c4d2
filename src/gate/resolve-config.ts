import { ConfigError } from '../errors.js';
import type { ConfigIssue, FindingsGateConfig, GateConfig, ParsedConfigLayer } from './gate-config.js';
import { THRESHOLD_RULES, type ThresholdRuleId } from './rule-catalog.js';
import { defaultThreshold, type Threshold } from './threshold.js';

/**
 * Stacks configuration layers, lowest precedence first (dive defaults < `.dive-ci` <
 * `.imgscope.yml` < flags): a threshold or setting a layer gives replaces the one below;
 * finding rule settings merge per rule; ignore globs add up. Throws one ConfigError that lists
 * every issue of every layer, so a user fixes them all in one go.
 */
export function resolveGateConfig(layers: readonly ParsedConfigLayer[]): GateConfig {
  const issues = layers.flatMap((l) => l.issues);
  if (issues.length > 0) throw configErrorFor(issues);

  const thresholds = Object.fromEntries(
    THRESHOLD_RULES.map((spec) => [spec.id, defaultThreshold(spec)]),
  ) as Record<ThresholdRuleId, Threshold>;
  const findings: FindingsGateConfig = { failOn: null, rules: {}, ignorePaths: [], ignoreBaseLayers: 0 };
  for (const { layer } of layers) {
    for (const [id, threshold] of Object.entries(layer.thresholds) as [
      ThresholdRuleId,
      Threshold | undefined,
    ][]) {
      if (threshold !== undefined) thresholds[id] = threshold;
    }
    if (layer.failOn !== undefined) findings.failOn = { value: layer.failOn, source: layer.source };
    if (layer.findingRules !== undefined) findings.rules = { ...findings.rules, ...layer.findingRules };
    if (layer.ignorePaths !== undefined)
      findings.ignorePaths = [...findings.ignorePaths, ...layer.ignorePaths];
    if (layer.ignoreBaseLayers !== undefined) findings.ignoreBaseLayers = layer.ignoreBaseLayers;
  }
  // failOn defaults to error: a secret fails the build. Saying anything about findings lists
  // every finding (WARN below failOn); saying nothing lists only those that fail.
  const findingsConfigured = layers.some(
    ({ layer }) =>
      layer.findingRules !== undefined ||
      layer.ignorePaths !== undefined ||
      layer.ignoreBaseLayers !== undefined,
  );
  if (findings.failOn === null) {
    findings.failOn = {
      value: 'error',
      source: 'default',
      ...(findingsConfigured ? {} : { implicit: true }),
    };
  }
  return {
    thresholds,
    findings,
    configFiles: layers.flatMap((l) => (l.layer.file === undefined ? [] : [l.layer.file])),
    warnings: layers.flatMap((l) => l.warnings),
  };
}

/** One error for all issues: a line each, "where: key: why". */
export function configErrorFor(issues: readonly ConfigIssue[]): ConfigError {
  const lines = issues.map(
    (i) => `  ${i.source}${i.line === undefined ? '' : `:${i.line}`}: ${i.key}: ${i.message}`,
  );
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  // No hint: describeFailure would append it to the last issue's line.
  return new ConfigError(
    `invalid gate configuration (${count}; docs/ci.md describes every key):\n${lines.join('\n')}`,
  );
}
