export type { ImageSource, LayerBlob, ResolvedImage, ResolveOptions } from './image-source.js';
export { localArchiveBytes, openImageSource, type OpenSourceOptions } from './open-image-source.js';
export {
  hostPlatform,
  parsePlatform,
  formatPlatform,
  selectPlatformEntry,
  platformMatches,
} from './platform.js';
export { RegistrySource, type RegistrySourceOptions } from './registry-source.js';
export { DockerDaemonSource } from './docker-daemon-source.js';
