import picomatch from 'picomatch';
import type { GateFindingResult } from '../model/index.js';
import { SEVERITY_RANK } from './finding-settings.js';
import type { FindingsGateConfig } from './gate-config.js';
import type { GateFinding } from './gate-input.js';

/**
 * Applies the findings settings: rules turned off and findings of base layers are dropped, paths
 * matching an ignore glob are removed (a finding left with none of its paths is dropped),
 * severities are overridden, and each finding at or above `failOn` FAILs, the others WARN.
 * Nothing when findings gating is not configured.
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
    const paths = finding.paths.filter((p) => !ignored(strip(p)));
    if (finding.paths.length > 0 && paths.length === 0) continue;
    const severity = setting ?? finding.severity;
    const fails = failOn !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
    results.push({
      id: finding.id,
      severity,
      status: fails ? 'FAIL' : 'WARN',
      title: finding.title,
      message: finding.message ?? finding.title,
      layerIndex,
      wastedBytes: finding.wastedBytes,
      paths,
      advice: finding.advice ?? null,
    });
  }
  return results;
}
