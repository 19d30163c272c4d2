import type { GateAnalysis } from '../../src/gate/index.js';
import { diveExpected } from './dive-expected.js';
import { DIVE_FIXTURES } from './run-cli.js';

export { DIVE_FIXTURES };

/** dive's own numbers for one of its fixture archives, as the gate reads an analysis. */
export function diveExpectedAnalysis(file = 'test-docker-image.tar'): GateAnalysis {
  const image = diveExpected()[file];
  if (image === undefined) throw new Error(`${file} is not in EXPECTED.json`);
  return {
    dive: {
      efficiency: image.efficiency,
      wastedBytes: image.wastedBytes,
      userSizeBytes: image.userSizeBytes,
      userWastedPercent: image.userWastedPercent,
    },
    layers: image.layers.map((l) => ({ index: l.index, sizeBytes: l.sizeBytes, command: l.command })),
    sizeBytes: image.sizeBytes,
    compressedSizeBytes: null,
    reclaimableBytes: 0,
  };
}

/** A small analysis with round numbers, for threshold edge tests. */
export function syntheticAnalysis(overrides: Partial<GateAnalysis> = {}): GateAnalysis {
  return {
    dive: { efficiency: 0.8, wastedBytes: 5_000, userSizeBytes: 20_000, userWastedPercent: 0.25 },
    layers: [
      { index: 0, sizeBytes: 70_000, command: '#(nop) ADD file:base in /' },
      { index: 1, sizeBytes: 20_000, command: 'apt-get install -y curl' },
      { index: 2, sizeBytes: 10_000, command: 'rm -rf /var/lib/apt/lists/*' },
    ],
    sizeBytes: 100_000,
    compressedSizeBytes: 40_000,
    reclaimableBytes: 15_000,
    ...overrides,
  };
}

/** The full `.imgscope.yml` example of docs/ci.md. */
export const FULL_EXAMPLE = `# .imgscope.yml
rules:
  lowestEfficiency: 0.95
  highestWastedBytes: 20MB
  highestUserWastedPercent: 0.2
  maxImageSize: 500MB
  maxCompressedSize: 200MiB
  maxLayerSize: 100MB
  maxLayers: 20
  maxReclaimableBytes: 50MB
  maxReclaimablePercent: 0.1
findings:
  failOn: warning
  rules:
    apt-lists-left-behind: error
    runs-as-root: off
  ignorePaths:
    - /usr/share/doc/**
    - "**/*.pyc"
  ignoreBaseLayers: true
`;
