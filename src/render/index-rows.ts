import type { Analysis, Platform } from '../model/index.js';
import { platformText } from './format.js';

/** For an image chosen from a multi-platform index: the index and the other platforms it has. */
export function indexRows(analysis: Analysis): [string, string][] {
  const index = analysis.image.index;
  if (index === undefined) return [];
  const chosen = analysis.image.platform;
  // An index entry may leave out the variant its image's config names (arm64 and v8).
  const isChosen = (p: Platform): boolean =>
    chosen !== null &&
    p.os === chosen.os &&
    p.architecture === chosen.architecture &&
    (p.variant === undefined || chosen.variant === undefined || p.variant === chosen.variant);
  const others = index.platforms.filter((p) => !isChosen(p)).map((p) => platformText(p) ?? '');
  return [
    ['Index', index.digest ?? 'index.json of the layout'],
    ['Other platforms', others.length === 0 ? 'none' : others.join(', ')],
  ];
}
