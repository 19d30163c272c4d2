import type { FindingSeverity, GateResult, GateRuleResult } from '../model/index.js';
import { formatBytes } from './format.js';
import { formatGateThreshold, formatGateValue } from './gate-values.js';

/** A finding as SARIF shows it: a `Finding`, or a finding after the gate's overrides. */
export interface SarifFinding {
  id: string;
  severity: FindingSeverity;
  title: string;
  message?: string;
  layerIndex?: number | null;
  wastedBytes: number;
  paths: readonly string[];
  advice?: string | null;
}

export interface SarifOptions {
  /** The image analysed (shown in every result and in the run's properties). */
  reference: string;
  toolVersion: string;
  /** Repository file the advice applies to; code scanning needs a file location. */
  dockerfile?: string;
}

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<FindingSeverity, Level> = { error: 'error', warning: 'warning', info: 'note' };
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A SARIF 2.1.0 log with one run: every finding is a result (its rule carries the Dockerfile
 * advice as help text), and every gate rule that failed or warned is a result too, so code
 * scanning shows why the gate failed. Results point at the Dockerfile and name image paths as
 * logical locations.
 */
export function renderSarif(
  findings: readonly SarifFinding[],
  gate: GateResult | null,
  options: SarifOptions,
): string {
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (id: string, rule: Record<string, unknown>): number => {
    const known = ruleIndex.get(id);
    if (known !== undefined) return known;
    rules.push({ id, ...rule });
    ruleIndex.set(id, rules.length - 1);
    return rules.length - 1;
  };
  const location = (paths: readonly string[]): Record<string, unknown> => ({
    physicalLocation: { artifactLocation: { uri: dockerfile } },
    ...(paths.length > 0
      ? { logicalLocations: paths.slice(0, 20).map((p) => ({ fullyQualifiedName: p, kind: 'resource' })) }
      : {}),
  });

  const results: Record<string, unknown>[] = [];
  for (const f of findings) {
    const index = addRule(f.id, {
      name: camel(f.id),
      shortDescription: { text: f.title },
      fullDescription: { text: f.title },
      help: { text: f.advice ?? f.title, markdown: f.advice ?? f.title },
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: { tags: ['container-image'] },
    });
    const waste = f.wastedBytes > 0 ? ` (${formatBytes(f.wastedBytes)} to win)` : '';
    const where = f.layerIndex === null || f.layerIndex === undefined ? '' : ` in layer ${f.layerIndex}`;
    results.push({
      ruleId: f.id,
      ruleIndex: index,
      level: LEVEL[f.severity],
      message: { text: `${f.message ?? f.title}${where}${waste} [${options.reference}]` },
      locations: [location(f.paths)],
      properties: {
        image: options.reference,
        layerIndex: f.layerIndex,
        wastedBytes: f.wastedBytes,
        paths: f.paths,
      },
    });
  }
  for (const rule of gate?.rules ?? []) {
    if (rule.status !== 'FAIL' && rule.status !== 'WARN') continue;
    const id = `gate/${rule.id}`;
    const index = addRule(id, {
      name: rule.id,
      shortDescription: { text: rule.description },
      fullDescription: { text: rule.description },
      help: { text: gateHelp(rule), markdown: gateHelp(rule) },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['ci-gate'] },
    });
    results.push({
      ruleId: id,
      ruleIndex: index,
      level: rule.status === 'FAIL' ? 'error' : 'warning',
      message: { text: `${rule.message} [${options.reference}]` },
      locations: [location([])],
      properties: {
        image: options.reference,
        value: rule.value,
        threshold: rule.threshold,
        source: rule.source,
      },
    });
  }

  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'imgscope',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            rules,
          },
        },
        results,
        properties: { image: options.reference, gatePassed: gate?.passed ?? null },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function gateHelp(rule: GateRuleResult): string {
  return (
    `${rule.description} Measured ${formatGateValue(rule)} against ${formatGateThreshold(rule)} ` +
    `(from ${rule.source}). Change the threshold under rules.${rule.id} in .imgscope.yml (or .dive-ci for ` +
    `dive's rules), or make the image smaller; docs/ci.md explains every rule.`
  );
}

/** SARIF rule names are PascalCase identifiers by convention. */
function camel(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
