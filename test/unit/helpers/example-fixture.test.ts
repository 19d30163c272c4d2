import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleSpecs } from '../../../fixtures/make-example.js';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../../helpers/image-builder.js';

afterAll(cleanupTempDirs);

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** Paths and sizes of one layer of a docker-archive, by layer index. */
function layerListing(archive: string, index: number): Map<string, number> {
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }));
  const member = manifest[0].Layers[index] as string;
  const out = execFileSync('sh', ['-c', `tar -xOf '${archive}' '${member}' | tar --numeric-owner -tvf -`], {
    encoding: 'utf8',
  });
  const sizes = new Map<string, number>();
  for (const line of out.trim().split('\n')) {
    const f = line.split(/\s+/);
    sizes.set(f.slice(5).join(' '), Number(f[2]));
  }
  return sizes;
}

const sum = (m: Map<string, number>, re: RegExp) =>
  [...m].filter(([p]) => re.test(p)).reduce((n, [, s]) => n + s, 0);

describe('bundled example images', () => {
  it('the committed tars are exactly what fixtures/make-example.ts generates', async () => {
    const dir = await tempDir();
    const { example, optimized } = await exampleSpecs();
    await writeDockerArchive(example, join(dir, 'example.tar'), { repoTags: ['imgscope-example:latest'] });
    await writeDockerArchive(optimized, join(dir, 'opt.tar'), { repoTags: ['imgscope-example:optimized'] });
    expect(
      (await readFile(join(dir, 'example.tar'))).equals(await readFile(join(FIXTURES, 'example.tar'))),
    ).toBe(true);
    expect(
      (await readFile(join(dir, 'opt.tar'))).equals(await readFile(join(FIXTURES, 'example-optimized.tar'))),
    ).toBe(true);
  });

  it('example.tar holds the problems the facts describe', async () => {
    const { facts } = await exampleSpecs();
    const archive = join(FIXTURES, 'example.tar');
    const apt = layerListing(archive, 1);
    expect(sum(apt, /^var\/lib\/apt\/lists\/[^/]+$/)).toBe(facts.aptListsBytes);
    expect(facts.aptListsBytes).toBeGreaterThan(20_000);
    expect(sum(apt, /^var\/cache\/apt\/[^/]+\.bin$/)).toBe(facts.aptCacheBytes);
    expect(sum(layerListing(archive, 3), /^root\/\.cache\/pip\//)).toBe(facts.pipCacheBytes);

    const copy = layerListing(archive, 4);
    const chmod = layerListing(archive, 5);
    expect([...chmod.keys()]).toEqual([...copy.keys()]);
    expect(sum(chmod, /^app\/.*[^/]$/)).toBe(facts.chmodDuplicatedBytes);

    expect(layerListing(archive, 6).get('tmp/build.tar.gz')).toBe(facts.deletedTempFileBytes);
    expect(layerListing(archive, 7).get('tmp/.wh.build.tar.gz')).toBe(0);

    const config = JSON.parse(
      execFileSync(
        'sh',
        ['-c', `tar -xOf '${archive}' "$(tar -tf '${archive}' | grep -E '^[0-9a-f]{64}\\.json$')"`],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(config.config.User).toBeUndefined();
    expect(config.history.filter((h: { empty_layer?: boolean }) => !h.empty_layer)).toHaveLength(8);
  });
});
