import { MAX_PACKAGE_METADATA_BYTES_PER_LAYER, packageMetadataLimit } from '../packages/index.js';
import { isAccountFile, MAX_ACCOUNT_FILE_BYTES } from './account-files.js';
import { crc32 } from './crc32.js';
import { LAYER_CONTENTS_VERSION } from './layer-contents-codec.js';
import { LAYER_READER_VERSION } from './read-layer.js';
import { MAX_SCAN_BYTES, secretChecks } from './secret-scan.js';
import { MAX_WARNINGS_PER_LAYER } from './warning-list.js';

/**
 * Everything that decides what a layer yields, for a stored result to be used only by a reader
 * that would yield the same: the codec's and the reader's versions, and, so that a change to
 * them cannot be forgotten, the code of the functions that choose which file bodies are kept
 * (package metadata, credential candidates, account files) and the limits they apply. A change
 * elsewhere in the reader needs `LAYER_READER_VERSION` bumped.
 */
export function layerResultVersion(): string {
  const parts = {
    keptFiles: [packageMetadataLimit, secretChecks, isAccountFile].map((choose) => choose.toString()),
    limits: [
      MAX_PACKAGE_METADATA_BYTES_PER_LAYER,
      MAX_SCAN_BYTES,
      MAX_ACCOUNT_FILE_BYTES,
      MAX_WARNINGS_PER_LAYER,
    ],
  };
  // The versions in plain sight; a CRC-32 of the rest (a change there, not an adversary, to
  // tell apart), so that naming the version loads no hash library: a small image's warm run
  // hashes nothing (known-files.ts).
  const check = crc32(Buffer.from(JSON.stringify(parts)))
    .toString(16)
    .padStart(8, '0');
  return `c${LAYER_CONTENTS_VERSION}r${LAYER_READER_VERSION}-${check}`;
}
