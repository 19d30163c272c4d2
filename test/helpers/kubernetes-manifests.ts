/**
 * The Kubernetes manifests in deploy/kubernetes, read as the API server reads them, and checked
 * against the Kubernetes API schema as compiled by kubernetes-models (ajv standalone validators
 * generated from the Kubernetes OpenAPI document; see docs/fleet.md for the version).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim, Secret } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from './run-cli.js';

export const MANIFEST_DIR = join(PROJECT_ROOT, 'deploy', 'kubernetes');

export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export async function readManifests(): Promise<Manifest[]> {
  const manifests: Manifest[] = [];
  for (const file of (await readdir(MANIFEST_DIR)).filter((name) => name.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(await readFile(join(MANIFEST_DIR, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      manifests.push({ ...(doc.toJS() as Omit<Manifest, 'file'>), file } as Manifest);
    }
  }
  return manifests;
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'batch/v1 Job': Job,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
};

/** Throws what the schema says is wrong with a manifest (or that its kind is not known here). */
export function validateManifest(manifest: Manifest): void {
  const { file, ...resource } = manifest;
  const Model = MODELS[`${resource.apiVersion} ${resource.kind}`];
  if (Model === undefined) throw new Error(`${file}: no schema for ${resource.apiVersion} ${resource.kind}`);
  new Model(resource as never).validate();
}
