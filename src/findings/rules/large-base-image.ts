import type { Analysis } from '../../model/index.js';
import { baseLayerCount } from '../base-layers.js';
import { buildFinding, bytesText } from '../finding-builder.js';
import type { Rule, RuleFinding, RuleOptions } from '../rule.js';

/** What a smaller base typically removes, by the distribution the image is built on (no look-ups). */
function alternatives(analysis: Analysis): string {
  const has = (path: string): boolean => analysis.finalFiles.has(path);
  if (has('/etc/alpine-release')) {
    return 'The base is already Alpine; a distroless or scratch base (a few MB) removes the shell and package manager too.';
  }
  if (has('/etc/debian_version')) {
    return 'Debian/Ubuntu-based language images (python:3, node:20...) are typically several hundred MB larger than their -slim variants; alpine variants are a few MB of base, and distroless bases (gcr.io/distroless) leave out the shell and package manager.';
  }
  return 'A -slim, alpine or distroless variant of the base image is often several times smaller.';
}

/** No linter id: dockle and hadolint do not weigh the base image. */
export const largeBaseImage: Rule = {
  id: 'large-base-image',
  severity: 'info',
  title: 'Large base image',
  description:
    "The base image's layers and their share of the image, with what a -slim/alpine/distroless base typically removes (no network look-ups).",
  related: [],
  detect(analysis: Analysis, options: RuleOptions): RuleFinding[] {
    const base = baseLayerCount(analysis);
    const baseBytes = analysis.layers.slice(0, base).reduce((sum, layer) => sum + layer.sizeBytes, 0);
    if (baseBytes < options.largeBaseMinBytes || analysis.sizeBytes === 0) return [];
    const share = ((baseBytes / analysis.sizeBytes) * 100).toFixed(1);
    const layers = base === 1 ? 'layer 0' : `layers 0 to ${base - 1}`;
    return [
      buildFinding(
        this,
        analysis,
        {
          layerIndex: null,
          message: `The base image (${layers}) is ${bytesText(baseBytes)}, ${share} % of the image.`,
          advice: { text: alternatives(analysis) },
        },
        options.maxPaths,
      ),
    ];
  },
};
