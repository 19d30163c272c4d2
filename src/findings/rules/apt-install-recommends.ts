import { EntryTable, type Analysis, type PackageRecord } from '../../model/index.js';
import { buildFinding, bytesText, sumClaims } from '../finding-builder.js';
import { layerInstruction, runRewrite } from '../layer-instruction.js';
import { fixAptRun, installsRecommends, keepsAptArchives } from '../package-advice.js';
import { claimPackageFiles, packagesText } from '../package-claims.js';
import type { Claim, Rule, RuleFinding } from '../rule.js';

/** hadolint DL3015: "Avoid additional packages by specifying --no-install-recommends". */
export const aptInstallRecommends: Rule = {
  id: 'apt-install-recommends',
  severity: 'warning',
  title: 'apt-get install without --no-install-recommends',
  description:
    'A RUN that installs packages with apt-get/apt without --no-install-recommends, which also installs every recommended package (often compilers, docs, extra libraries). Where dpkg and apt metadata are in the image, the finding counts the bytes of the packages that step brought in only through Recommends/Suggests and names them.',
  related: ['hadolint DL3015'],
  detect(analysis, options) {
    const findings: RuleFinding[] = [];
    for (const layer of analysis.layers) {
      const instruction = layerInstruction(analysis, layer.index);
      if (instruction.keyword !== 'RUN' || !installsRecommends(instruction.args)) continue;
      const entries = analysis.contents[layer.index]?.entries ?? new EntryTable();
      const rewrite = runRewrite(analysis, layer.index, (command) =>
        fixAptRun(command, { clean: keepsAptArchives(entries) }),
      );
      const extra = recommendsOnly(analysis, layer.index);
      const claims = extra?.flatMap((entry) => entry.claims) ?? [];
      const largest = extra?.[0];
      const message =
        extra === null
          ? `Layer ${layer.index} installs packages with their recommended packages.`
          : largest === undefined
            ? `Layer ${layer.index} installs packages without --no-install-recommends; none of the packages it installed is there only through Recommends or Suggests.`
            : `Layer ${layer.index} installs packages with their recommended packages: ${extra.length} package(s) are there only through Recommends or Suggests, ${bytesText(sumClaims(claims))}; the largest is ${largest.record.name} (${bytesText(largest.bytes)}).`;
      const text =
        'Add --no-install-recommends to apt-get install, and add back only the packages the application needs.';
      findings.push(
        buildFinding(
          this,
          analysis,
          {
            layerIndex: layer.index,
            message,
            claims,
            ...(rewrite === undefined ? {} : { edit: rewrite.edit }),
            advice: {
              text:
                extra === null || extra.length === 0
                  ? text
                  : `${text} Installed only as recommended: ${packagesText(extra.map((entry) => ({ name: entry.record.name, bytes: entry.bytes })))}.`,
              ...(rewrite === undefined ? {} : { dockerfile: rewrite.dockerfile }),
            },
          },
          options.maxPaths,
        ),
      );
    }
    return findings;
  },
};

/**
 * The Debian packages `layer` installed that are there only through Recommends/Suggests, largest
 * first, each with its files' claims (files a package that stays also lists are not saved);
 * null when the image does not say why its packages are there (no dpkg or apt metadata).
 */
function recommendsOnly(
  analysis: Analysis,
  layer: number,
): { record: PackageRecord; claims: Claim[]; bytes: number }[] | null {
  const { packages, storedPaths } = analysis.packages;
  const installed = packages.filter((record) => record.ecosystem === 'deb' && record.layerIndex === layer);
  if (!installed.some((record) => record.reason !== null)) return null;
  const extra = installed.filter((record) => record.reason === 'recommends');
  if (extra.length === 0) return [];
  const staying = new Set<string>();
  for (const record of packages) {
    if (record.reason === 'recommends') continue;
    for (const path of storedPaths.get(record) ?? []) staying.add(path);
  }
  return [...claimPackageFiles(analysis, extra)]
    .map(([record, all]) => {
      const claims = all.filter((claim) => !staying.has(claim.path));
      return { record, claims, bytes: sumClaims(claims) };
    })
    .sort((a, b) => b.bytes - a.bytes || (a.record.name < b.record.name ? -1 : 1));
}
