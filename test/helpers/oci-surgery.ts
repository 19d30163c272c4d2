// Edits the documents of an OCI layout written by the image builder and re-seals every digest
// above them, so a test reaches the check it aims at instead of failing on a digest first.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Json = Record<string, unknown>;

export interface OciEdits {
  /** New config bytes, or an edit of the parsed config. */
  config?: Buffer | ((config: Json) => unknown);
  /** New manifest bytes, or an edit of the parsed manifest (after the config is re-sealed). */
  manifest?: Buffer | ((manifest: Json) => unknown);
  /** An edit of index.json's entry for the manifest (after the manifest is re-sealed). */
  indexEntry?: (entry: Json) => unknown;
}

const hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function readBlob(dir: string, digest: string): Promise<Buffer> {
  return readFile(join(dir, 'blobs', 'sha256', digest.replace(/^sha256:/, '')));
}

async function writeBlob(dir: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const name = hex(bytes);
  await writeFile(join(dir, 'blobs', 'sha256', name), bytes);
  return { digest: `sha256:${name}`, size: bytes.length };
}

function edited(bytes: Buffer, edit: Buffer | ((value: Json) => unknown)): Buffer {
  if (Buffer.isBuffer(edit)) return edit;
  return Buffer.from(JSON.stringify(edit(JSON.parse(bytes.toString('utf8')) as Json)));
}

/** Applies the edits to the layout's only image and re-seals config, manifest and index. */
export async function editOciLayout(dir: string, edits: OciEdits): Promise<void> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Json[] };
  const entry = index.manifests[0];
  if (entry === undefined) throw new Error(`${dir}: index.json lists nothing`);
  let manifestBytes = await readBlob(dir, String(entry['digest']));
  if (edits.config !== undefined) {
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: Json };
    const configBytes = edited(await readBlob(dir, String(manifest.config['digest'])), edits.config);
    manifest.config = { ...manifest.config, ...(await writeBlob(dir, configBytes)) };
    manifestBytes = Buffer.from(JSON.stringify(manifest));
  }
  if (edits.manifest !== undefined) manifestBytes = edited(manifestBytes, edits.manifest);
  let newEntry: unknown = { ...entry, ...(await writeBlob(dir, manifestBytes)) };
  if (edits.indexEntry !== undefined) newEntry = edits.indexEntry(newEntry as Json);
  index.manifests[0] = newEntry as Json;
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
}
