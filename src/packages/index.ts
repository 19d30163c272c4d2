export { packageMetadataLimit, MAX_PACKAGE_METADATA_BYTES_PER_LAYER } from './metadata-files.js';
export { inventoryPackages } from './inventory.js';
export { compareVersions, semverChange } from './versions/compare-versions.js';
export { loadSqlite, sqliteForRpm } from './rpm-database.js';
