import type { ImageConfig, Platform } from '../model/index.js';

/** The platform an image config declares, where it declares one. */
export function configPlatform(config: ImageConfig): Platform | null {
  if (!config.os || !config.architecture) return null;
  return config.variant
    ? { os: config.os, architecture: config.architecture, variant: config.variant }
    : { os: config.os, architecture: config.architecture };
}
