/**
 * A small fleet for audit tests: 20 images in 5 repositories, every one built on the same two
 * base layers, each with a layer of its own; users, a secret and a rewritten base file vary so
 * the summary has something to rank.
 */
import type { RegistryFixture } from './registry-fixture.js';
import { type TestImage, type TestLayer, type WrittenImage, noise } from './registry-images.js';

export const FLEET_REPOSITORIES = ['fleet/api', 'fleet/web', 'fleet/worker', 'fleet/cron', 'fleet/edge'];
/** Each repository's tags: versions, a variant, and one that is not a version. */
export const FLEET_TAGS = ['1.19', '1.20.1', '1.25-alpine', 'latest'];

const BASE_LAYERS: TestLayer[] = [
  { files: { 'etc/os-release': 'ID=fleet\n', 'usr/lib/libbase.so': noise(200_000, 1) } },
  { files: { 'usr/bin/tool': noise(100_000, 2) } },
];

export interface FleetImage {
  reference: string;
  repository: string;
  written: WrittenImage;
}

/** Image `n` of the fleet (0..19). */
export function fleetImage(n: number): TestImage {
  const own: Record<string, string | Buffer> = { [`app/app-${n}`]: noise(32_000, 100 + n) };
  // Every fourth image writes the base's tool again: dive waste and reclaimable bytes.
  if (n % 4 === 0) own['usr/bin/tool'] = noise(100_000 + n, 3);
  if (n === 7) own['root/.aws/credentials'] = '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n';
  return { layers: [...BASE_LAYERS, { files: own }], user: ['', 'app', '1000'][n % 3] ?? '' };
}

/** Pushes the 20 images to `fixture` as REPO:TAG. */
export async function pushFleet(fixture: RegistryFixture): Promise<FleetImage[]> {
  const images: FleetImage[] = [];
  for (const [r, repo] of FLEET_REPOSITORIES.entries()) {
    for (const [t, tag] of FLEET_TAGS.entries()) {
      const n = r * FLEET_TAGS.length + t;
      const written = await fixture.pushImage(`fleet-${n}`, fleetImage(n), `${repo}:${tag}`);
      images.push({
        reference: `${fixture.registry.host}/${repo}:${tag}`,
        repository: `${fixture.registry.host}/${repo}`,
        written,
      });
    }
  }
  return images;
}
