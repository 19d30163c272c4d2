/** A RegistrySource as the registry tests make one (no cache, empty environment), and reading what it opens. */
import type { Readable } from 'node:stream';
import { parseImageReference } from '../../src/reference/index.js';
import { RegistrySource, type RegistrySourceOptions } from '../../src/sources/registry-source.js';

/** A source for `ref` without a blob cache or inherited environment; `options` override both. */
export function registrySource(ref: string, options: Partial<RegistrySourceOptions> = {}): RegistrySource {
  return new RegistrySource(parseImageReference(ref), { cache: null, env: {}, ...options });
}

/** All the bytes of a stream (a layer or blob opened from a source, or passed through a blob cache). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
