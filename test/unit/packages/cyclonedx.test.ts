import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../../helpers/image-builder.js';
import { validateCycloneDx15 } from '../../helpers/cyclonedx-schema.js';
import { dpkgEntries, pythonMetadata } from '../../helpers/package-metadata.js';
import { runCli } from '../../helpers/run-cli.js';

afterAll(cleanupTempDirs);

describe('imgscope packages --format cyclonedx', () => {
  it('writes a CycloneDX 1.5 SBOM that validates against CycloneDX’s schema, the same for the same image', async () => {
    const file = `${await tempDir('imgscope-sbom-')}/image.tar`;
    const express = (dir: string) => ({
      type: 'file' as const,
      path: `${dir}/node_modules/express/package.json`,
      content: '{"name":"express","version":"4.18.2","license":"MIT"}',
    });
    await writeDockerArchive(
      {
        layers: [
          {
            entries: [
              { type: 'file', path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
              ...dpkgEntries([
                { name: 'libc6', version: '2.36-9+deb12u4', files: [['/usr/lib/libc.so.6', 2000]] },
              ]),
              {
                type: 'file',
                path: 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA',
                content: pythonMetadata('six', '1.16.0', 'MIT'),
              },
              // The same npm package twice: one purl, two components.
              express('app'),
              express('app/node_modules/other'),
            ],
          },
        ],
      },
      file,
    );
    const first = await runCli(['packages', file, '--format', 'cyclonedx']);
    expect(first.code).toBe(0);
    const bom = JSON.parse(first.stdout) as { components: { purl: string; 'bom-ref': string }[] };
    expect(validateCycloneDx15(bom), JSON.stringify(validateCycloneDx15.errors)).toBe(true);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1 });
    expect(bom.components.map((component) => component.purl).sort()).toEqual([
      'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
      'pkg:npm/express@4.18.2',
      'pkg:npm/express@4.18.2',
      'pkg:pypi/six@1.16.0',
    ]);
    expect(new Set(bom.components.map((component) => component['bom-ref'])).size).toBe(4);
    const second = await runCli(['packages', file, '--format', 'cyclonedx']);
    expect(second.stdout).toBe(first.stdout);
    // A schema that accepts anything would pass the above: a broken BOM must fail it.
    expect(validateCycloneDx15({ ...bom, specVersion: 1.5, components: [{ name: 'x' }] })).toBe(false);
  });
});
