import { UsageError } from '../errors.js';
import { describeRules, findProblems, NO_RULE_SETTINGS, redactSecrets, RULES } from '../findings/index.js';
import { didYouMean, flattenFinding } from '../gate/index.js';
import type {
  Analysis,
  Finding,
  FindingSeverity,
  FindingsReport,
  RuleInfo,
  RuleSettings,
} from '../model/index.js';
import type { SarifFinding } from '../render/index.js';
import { analyzeImage, type AnalyzeOptions } from './analyze-image.js';

/** An analysis with what is wrong in it. The analysis's history texts are redacted. */
export interface ImageReport {
  analysis: Analysis;
  findings: FindingsReport;
}

export interface ReportOptions extends AnalyzeOptions {
  rules?: RuleSettings;
}

/** Analyzes an image and runs the finding rules on it. */
export async function analyzeImageReport(
  reference: string,
  options: ReportOptions = {},
): Promise<ImageReport> {
  return findImageProblems(await analyzeImage(reference, options), options.rules);
}

/**
 * Runs the rules on an analysis, and redacts secret-looking values (`TOKEN=…` build args and ENV
 * in history, secret-named ENV values in the config) so that no report prints them.
 */
export function findImageProblems(
  analysis: Analysis,
  settings: RuleSettings = NO_RULE_SETTINGS,
): ImageReport {
  const findings = findProblems(analysis, settings);
  return { analysis: redactAnalysis(analysis), findings };
}

/**
 * The analysis with secret-looking values in history (`TOKEN=…` build args and ENV, npm auth
 * tokens, credentials in URLs) and secret-named ENV values in the config replaced by
 * `<redacted>`: what every report prints from.
 */
export function redactAnalysis(analysis: Analysis): Analysis {
  const config = analysis.config;
  return {
    ...analysis,
    layers: analysis.layers.map((layer) => ({
      ...layer,
      createdBy: redactSecrets(layer.createdBy),
      command: redactSecrets(layer.command),
    })),
    history: analysis.history.map((entry) => ({ ...entry, createdBy: redactSecrets(entry.createdBy) })),
    config: {
      ...config,
      ...(config.history === undefined
        ? {}
        : {
            history: config.history.map((entry) =>
              entry.created_by === undefined
                ? entry
                : { ...entry, created_by: redactSecrets(entry.created_by) },
            ),
          }),
      ...(config.config === undefined
        ? {}
        : {
            config: {
              ...config.config,
              ...(config.config.Env == null
                ? {}
                : { Env: config.config.Env.map((pair) => redactSecrets(pair)) }),
            },
          }),
    },
  };
}

/** Every rule with its id, severity (after `settings`), what it checks and related linter ids. */
export function listRules(settings: RuleSettings = NO_RULE_SETTINGS): RuleInfo[] {
  return describeRules(settings);
}

/**
 * Rule settings from `--ignore` ids and the config's per-rule settings (`findings.rules` of
 * .imgscope.yml / --finding-rule: `off` or a severity). Unknown ids in --ignore are a usage error
 * that lists the known ones, so a typo never silently disables nothing; config ids are the
 * config reader's to check (it reports them with file and line).
 */
export function ruleSettings(
  ignore: readonly string[],
  configured: Readonly<Record<string, FindingSeverity | 'off'>> = {},
): RuleSettings {
  const known = new Set(RULES.map((rule) => rule.id));
  const unknown = ignore.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const ids = [...known];
    throw new UsageError(`unknown rule ${unknown.map((id) => `"${id}"${didYouMean(id, ids)}`).join(', ')}`, {
      hint: `known rules: ${[...known].join(', ')}; see imgscope rules`,
    });
  }
  const disabled = new Set(ignore);
  const severity = new Map<string, FindingSeverity>();
  for (const [id, setting] of Object.entries(configured)) {
    if (setting === 'off') disabled.add(id);
    else severity.set(id, setting);
  }
  return { disabled, severity };
}

/** Findings as SARIF (and other gate reports) take them: plain path strings, advice as text. */
export function sarifFindings(findings: readonly Finding[]): SarifFinding[] {
  return findings.map(flattenFinding);
}
