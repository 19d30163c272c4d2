import type { Analysis, PackageRecord } from '../model/index.js';
import { SCHEMA_VERSION } from './analysis-json.js';
import { platformText } from './format.js';

/**
 * `imgscope packages --format json`. `ownedBytes` (what the packages' files weigh together,
 * each file once) is null when an --ecosystem filter leaves packages out.
 */
export function renderPackagesJson(
  analysis: Analysis,
  packages: readonly PackageRecord[],
  filtered: boolean,
): string {
  const report = {
    schemaVersion: SCHEMA_VERSION,
    image: {
      reference: analysis.image.reference,
      digest: analysis.image.digest,
      id: analysis.image.id,
      platform: platformText(analysis.image.platform),
      sizeBytes: analysis.sizeBytes,
    },
    ownedBytes: filtered ? null : analysis.packages.ownedBytes,
    packages,
    warnings: analysis.packages.warnings,
  };
  return JSON.stringify(report, null, 2) + '\n';
}
