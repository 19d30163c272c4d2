/**
 * Caps on the JSON documents of an image, the same from an archive, a layout or a registry, so a
 * hostile source cannot make us read gigabytes as JSON.
 */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
