import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | undefined;

/**
 * imgscope's own version, from the nearest package.json named imgscope above this module (the
 * same from the sources, from dist/ and from a bundle): every release starts a fresh layer-result
 * cache. "unknown" where there is none.
 */
export function imgscopeVersion(): string {
  if (found !== undefined) return found;
  found = 'unknown';
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === 'imgscope' && typeof manifest.version === 'string') {
        found = manifest.version;
        break;
      }
    } catch {
      // No package.json here: look further up.
    }
    if (dirname(dir) === dir) break;
  }
  return found;
}
