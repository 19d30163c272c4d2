import type { Analysis, PackageEcosystem, PackageRecord } from '../model/index.js';
import { analyzeImage, type AnalyzeOptions } from './analyze-image.js';

export interface PackageListOptions extends AnalyzeOptions {
  /** Only these ecosystems; all when empty or absent. */
  ecosystems?: readonly PackageEcosystem[];
}

export interface PackageList {
  analysis: Analysis;
  /** The inventory's packages, of the chosen ecosystems. */
  packages: PackageRecord[];
  /** Whether the ecosystem filter left packages out (then the owned total does not apply). */
  filtered: boolean;
}

/** Reads the image and lists its packages (largest first). */
export async function listImagePackages(
  reference: string,
  options: PackageListOptions = {},
): Promise<PackageList> {
  const analysis = await analyzeImage(reference, options);
  const chosen = new Set(options.ecosystems ?? []);
  const all = analysis.packages.packages;
  const packages = chosen.size === 0 ? all : all.filter((record) => chosen.has(record.ecosystem));
  return { analysis, packages, filtered: packages.length !== all.length };
}
