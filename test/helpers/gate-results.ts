import {
  evaluateGate,
  parseDiveCiFile,
  parseGateFlags,
  resolveGateConfig,
  type GateFinding,
} from '../../src/gate/index.js';
import type { GateResult } from '../../src/model/index.js';
import { diveExpectedAnalysis, syntheticAnalysis } from './gate-fixtures.js';

export const SAMPLE_FINDINGS: GateFinding[] = [
  {
    id: 'apt-lists-left-behind',
    severity: 'warning',
    title: 'apt package lists left in the image',
    layerIndex: 1,
    wastedBytes: 40_000,
    paths: ['/var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease', '/var/lib/apt/lists/lock'],
    advice: 'Add `&& rm -rf /var/lib/apt/lists/*` to the same RUN as apt-get install.',
  },
  {
    id: 'runs-as-root',
    severity: 'error',
    title: 'the image runs as root <uid 0> & has no USER',
    layerIndex: null,
    wastedBytes: 0,
    paths: [],
    advice: 'Add `USER 10001:10001` before the ENTRYPOINT.',
  },
];

/** dive's defaults on test-docker-image.tar: PASS, SKIP, FAIL. */
export function diveDefaultGate(): GateResult {
  return evaluateGate(diveExpectedAnalysis(), [], resolveGateConfig([parseDiveCiFile('', '.dive-ci')]));
}

/** Every status, budgets and findings: failOn warning, a budget over, one SKIP. */
export function fullGate(): GateResult {
  const config = resolveGateConfig([
    parseGateFlags({
      thresholds: { 'max-image-size': '90kB', 'max-layers': '5', highestWastedBytes: 'off' },
      failOn: 'error',
    }),
  ]);
  return evaluateGate(syntheticAnalysis(), SAMPLE_FINDINGS, config);
}
