export { findProblems, describeRules, NO_RULE_SETTINGS } from './find-problems.js';
export { RULES, ruleById } from './registry.js';
export { DEFAULT_RULE_OPTIONS, type Rule, type RuleOptions, type RuleFinding, type Claim } from './rule.js';
export { redactSecrets, isSecretName, looksLikeSecretValue } from './secret-names.js';
export { parseShell } from './shell-command.js';
