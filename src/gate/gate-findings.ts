import picomatch from 'picomatch';
import type { FindingAdvice, GateFindingResult } from '../model/index.js';
import { SEVERITY_RANK } from './finding-settings.js';
import type { FindingsGateConfig } from './gate-config.js';
import type { GateFinding } from './gate-input.js';

/**
 * Applies the findings settings: rules turned off and findings of base layers are dropped, paths
 * matching an ignore glob are removed (a finding left with none of its paths is dropped),
 * severities are overridden, and each finding at or above `failOn` FAILs, the others WARN
 * (left out when failOn is implicit). Nothing when findings gating is off.
 */
export function gateFindings(
  findings: readonly GateFinding[],
  config: FindingsGateConfig,
): GateFindingResult[] {
  const failOn = config.failOn?.value;
  if (failOn === undefined) return [];
  // Globs are written over absolute image paths; match without the leading slash either way.
  const strip = (p: string): string => p.replace(/^\/+/, '');
  const ignored =
    config.ignorePaths.length === 0 ? () => false : picomatch(config.ignorePaths.map(strip), { dot: true });

  const results: GateFindingResult[] = [];
  for (const finding of findings) {
    const setting = config.rules[finding.id];
    if (setting === 'off') continue;
    const layerIndex = finding.layerIndex ?? null;
    if (layerIndex !== null && layerIndex < config.ignoreBaseLayers) continue;
    // A finding lists its largest few paths (`paths`); ignore globs are matched against those.
    const all = finding.paths.map((p) => p.path);
    const paths = all.filter((p) => !ignored(strip(p)));
    if (all.length > 0 && paths.length === 0) continue;
    const severity = setting ?? finding.severity;
    const fails = failOn !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
    if (!fails && config.failOn?.implicit === true) continue;
    results.push({
      id: finding.id,
      severity,
      status: fails ? 'FAIL' : 'WARN',
      title: finding.title,
      message: finding.message ?? finding.title,
      layerIndex,
      wastedBytes: finding.wastedBytes,
      paths,
      advice: adviceText(finding.advice),
    });
  }
  return results;
}

/** A finding's advice as one text for gate reports: what to do, then the Dockerfile line to write. */
export function adviceText(advice: FindingAdvice | undefined): string | null {
  if (advice === undefined) return null;
  return advice.dockerfile === undefined ? advice.text : `${advice.text}\n${advice.dockerfile.after}`;
}

/** A finding with paths as plain strings and advice as one text, as SARIF and JUnit show them. */
export function flattenFinding(finding: GateFinding): {
  id: string;
  severity: GateFinding['severity'];
  title: string;
  message: string;
  layerIndex: number | null;
  wastedBytes: number;
  paths: string[];
  advice: string | null;
} {
  return {
    id: finding.id,
    severity: finding.severity,
    title: finding.title,
    message: finding.message ?? finding.title,
    layerIndex: finding.layerIndex ?? null,
    wastedBytes: finding.wastedBytes,
    paths: finding.paths.map((p) => p.path),
    advice: adviceText(finding.advice),
  };
}
