export { readLayer, type LayerInput, type LayerReadOptions } from './read-layer.js';
export { sniffCompression, peekStream, createGunzipStream } from './compression.js';
export { parseDigest } from './digest-check.js';
export { classifyEntryName, normalizePath, WHITEOUT_PREFIX, OPAQUE_MARKER } from './entry-path.js';
export { WarningList, abbreviate, MAX_WARNINGS_PER_LAYER } from './warning-list.js';
export {
  LayerReader,
  IN_PROCESS_MAX_BYTES,
  type LayerReaderInput,
  type RemoteLayer,
} from './layer-reader.js';
export {
  encodeLayerContents,
  encodeLayerContentsParts,
  decodeLayerContents,
  CorruptLayerResultError,
  LAYER_CONTENTS_VERSION,
} from './layer-contents-codec.js';
export type { FileRegion } from './worker-protocol.js';
export { fileState, sameState, type FileState } from './file-state.js';
export { layerResultVersion } from './layer-result-version.js';
export { lowerHelperThreads } from './helper-threads.js';
export {
  CONTENT_KEY_BYTES,
  contentKeyFrom,
  processContentKey,
  randomContentKey,
  type ContentKey,
} from './content-key.js';
