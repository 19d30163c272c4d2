/** Package ecosystems, named as syft and purl name them. */
export type PackageEcosystem = 'deb' | 'apk' | 'rpm' | 'python' | 'npm';

export const PACKAGE_ECOSYSTEMS: readonly PackageEcosystem[] = ['deb', 'apk', 'rpm', 'python', 'npm'];

/**
 * Where a package's bytes come from: its file list resolved against the final filesystem
 * (`files`), the metadata's own estimate where there is no file list (`installed-size`: dpkg's
 * Installed-Size is KiB, rounded up), or nowhere (`none`: 0 bytes).
 */
export type PackageSizeSource = 'files' | 'installed-size' | 'none';

/**
 * Why an OS package is there, in the package manager's own words: asked for by name
 * (`requested`), needed by something asked for (`dependency`), or present only because
 * something recommended or suggested it (`recommends`).
 */
export type InstallReason = 'requested' | 'dependency' | 'recommends';

/** One installed package of the final image. */
export interface PackageRecord {
  ecosystem: PackageEcosystem;
  name: string;
  version: string;
  architecture: string | null;
  /** License as the metadata states it, where it does. */
  license: string | null;
  /** Bytes of its files in the final filesystem (a hard-linked file once). */
  sizeBytes: number;
  sizeSource: PackageSizeSource;
  /** Its files (not directories) present in the final filesystem. */
  fileCount: number;
  /** The layer that installed it: the first of the layers that have listed it ever since. */
  layerIndex: number | null;
  /** Later layers that changed it: its version, or any of its files. */
  changedInLayers: number[];
  /** For OS packages where the package manager records it; null where unknown. */
  reason: InstallReason | null;
  /** The metadata file the record was read from. */
  metadataPath: string;
  /** Package URL (purl), as SBOM tools name packages. */
  purl: string;
}

/** What the inventory found, and what it could not read. */
export interface PackageInventory {
  /** Largest first, then by ecosystem, name and path. */
  packages: PackageRecord[];
  /** Bytes of the final filesystem that some package's files account for (each file once). */
  ownedBytes: number;
  /**
   * Per package, the final filesystem's paths its `sizeBytes` counts: its regular files, a hard
   * link as the path of its target (for findings to claim those bytes; not in the JSON output).
   */
  storedPaths: ReadonlyMap<PackageRecord, readonly string[]>;
  /** Metadata that was too large, malformed or pointed outside the image: skipped, with the reason. */
  warnings: string[];
}
