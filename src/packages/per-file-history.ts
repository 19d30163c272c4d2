import { installHistory, type MetadataView } from './metadata-view.js';

/**
 * Install history of a package whose metadata is one file of its own (package.json, METADATA,
 * a distroless status.d file): each version of the file the layers wrote is parsed for the
 * package's name and version; malformed older versions count as "not listed".
 */
export function perFileHistory(
  view: MetadataView,
  path: string,
  versionOf: (body: Buffer) => { name: string; version: string } | null,
  name: string,
): { layerIndex: number | null; changedInLayers: number[] } {
  const snapshots = view.history(path).map((write) => {
    const found = versionOf(write.body);
    return { layer: write.layer, versions: new Map(found === null ? [] : [[found.name, found.version]]) };
  });
  return installHistory(snapshots, name);
}
