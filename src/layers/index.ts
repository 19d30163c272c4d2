export { readLayer, type LayerReadOptions } from './read-layer.js';
export { sniffCompression, peekStream, createDecompressor } from './compression.js';
export { DigestCheck, parseDigest } from './digest-check.js';
export { classifyEntryName, normalizePath, WHITEOUT_PREFIX, OPAQUE_MARKER } from './entry-path.js';
export { WarningList, abbreviate, MAX_WARNINGS_PER_LAYER } from './warning-list.js';
