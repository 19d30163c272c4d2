import type { InstallReason, PackageEcosystem } from '../model/index.js';

/** A package as its ecosystem's metadata describes it, before its files are weighed. */
export interface FoundPackage {
  ecosystem: PackageEcosystem;
  name: string;
  version: string;
  architecture: string | null;
  license: string | null;
  metadataPath: string;
  /** Absolute paths it owns (directories included, as the lists have them); null where none is recorded. */
  files: string[] | null;
  /** Where a package is a directory (node_modules/x): everything below it but nested node_modules. */
  directory: string | null;
  installedSizeBytes: number | null;
  reason: InstallReason | null;
  layerIndex: number | null;
  /** Later layers that changed its version (layers that changed its files are added when weighed). */
  changedInLayers: number[];
  /** For the recommends accounting: names it depends on and recommends (OS packages). */
  depends: string[][];
  recommends: string[][];
  provides: string[];
}

/** What a reader found, and the metadata it had to skip (as warnings). */
export interface EcosystemResult {
  packages: FoundPackage[];
  warnings: string[];
}
