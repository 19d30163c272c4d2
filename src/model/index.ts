export * from './descriptor.js';
export * from './manifest.js';
export * from './image-config.js';
export * from './layer-entry.js';
export * from './analysis.js';
export * from './finding.js';
export * from './gate-result.js';
export * from './image-diff.js';
