import { createHash } from 'node:crypto';
import createDebug from 'debug';
import type { LayerResultCache } from '../cache/index.js';
import type { FileRegion } from '../layers/index.js';
import type { LayerContents, SourceKind } from '../model/index.js';
import type { LayerBlob } from '../sources/index.js';

/**
 * Sources whose layer blobs are fetched by their content digest (a registry, an OCI layout): a
 * result stored under that digest was read from bytes checked against it, so it stands for the
 * blob without reading it again. An archive's layer (docker save, the daemon's export) is named
 * by nothing it was checked against: its bytes are hashed before a stored result is used.
 */
const CONTENT_ADDRESSED: ReadonlySet<SourceKind> = new Set(['registry', 'oci-layout', 'oci-archive']);

/** `DEBUG=imgscope:layers` prints one line per layer: read, or taken from the cache. */
const debug = createDebug('imgscope:layers');

export function logLayer(label: string, layer: LayerBlob, how: 'read' | 'cached'): void {
  debug(`${label} ${layer.descriptor?.digest ?? layer.diffId ?? 'unnamed'} ${how}`);
}

/**
 * The stored result for `layer`, or null: none stored, or its identity does not check out (the
 * layer is then read, and fails as it would have without a cache).
 */
export async function storedLayerResult(
  results: LayerResultCache,
  source: SourceKind,
  layer: LayerBlob,
  label: string,
  digestRegion?: (region: FileRegion) => Promise<string>,
): Promise<LayerContents | null> {
  const { diffId, descriptor } = layer;
  if (diffId === null) return null;
  if (CONTENT_ADDRESSED.has(source)) {
    if (descriptor === null) return null;
    // A layout's blob file of another size than its descriptor's is read, and refused as before.
    if (layer.region !== undefined && (await layer.region()).length !== descriptor.size) return null;
    const contents = await results.get(descriptor.digest, diffId, label);
    return contents !== null && contents.storedBytes === descriptor.size ? contents : null;
  }
  // An uncompressed member with no digest name is its tar: its digest is the diff_id.
  const stored = descriptor?.digest ?? diffId;
  // Hashed by an earlier run, and the file unchanged since (known-files.ts): not hashed again,
  // and its result read without asking first whether there is one (get says).
  const region = await layer.region?.();
  if (region !== undefined && results.knownFiles.digest(region) === stored) {
    debug(`${label} ${stored} digest known`);
    return results.get(stored, diffId, label);
  }
  if (!(await results.has(stored, diffId))) return null;
  // A layer that cannot be hashed is read, and fails with the reader's words.
  if ((await blobDigest(layer, region, digestRegion).catch(() => null)) !== stored) return null;
  if (region !== undefined) results.knownFiles.rememberDigest(region, stored);
  return results.get(stored, diffId, label);
}

/**
 * Stores what reading `layer` gave, under the digests the read checked: the blob's (against its
 * descriptor, by the reader or the registry client) and the diff_id (after decompression). A layer
 * with no diff_id, or a compressed archive member with no digest name, is not stored. An
 * archive's layer region is noted as hashed to that digest (known-files.ts).
 */
export async function storeLayerResult(
  results: LayerResultCache,
  source: SourceKind,
  layer: LayerBlob,
  label: string,
  contents: LayerContents,
): Promise<void> {
  const { diffId, descriptor } = layer;
  if (diffId === null) return;
  const stored = descriptor?.digest ?? (contents.compression === 'none' ? diffId : null);
  if (stored === null) return;
  const region = CONTENT_ADDRESSED.has(source) ? undefined : await layer.region?.();
  if (region !== undefined) results.knownFiles.rememberDigest(region, stored);
  await results.put(stored, diffId, label, contents);
}

/**
 * The sha256 of a layer's stored bytes, as the source gives them now: through `digestRegion`
 * where they lie in a file (`region`; the layer reader hashes them on both cores), else streamed here.
 */
async function blobDigest(
  layer: LayerBlob,
  region: FileRegion | undefined,
  digestRegion?: (region: FileRegion) => Promise<string>,
): Promise<string> {
  if (region !== undefined && digestRegion !== undefined) return digestRegion(region);
  const hash = createHash('sha256');
  for await (const chunk of await layer.open()) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
