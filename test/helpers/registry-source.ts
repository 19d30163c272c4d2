/** A RegistrySource as the registry tests make one: no cache, empty environment. */
import { parseImageReference } from '../../src/reference/index.js';
import { RegistrySource, type RegistrySourceOptions } from '../../src/sources/registry-source.js';

/** A source for `ref` without a blob cache or inherited environment; `options` override both. */
export function registrySource(ref: string, options: Partial<RegistrySourceOptions> = {}): RegistrySource {
  return new RegistrySource(parseImageReference(ref), { cache: null, env: {}, ...options });
}
