import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanupTempDirs,
  fillBytes,
  tempDir,
  writeDockerArchive,
  writeOciArchive,
  writeOciLayout,
  writeOciMultiPlatform,
  writeTar,
  type EntrySpec,
  type ImageSpec,
} from '../../helpers/image-builder.js';

afterAll(cleanupTempDirs);

function sh(script: string): string {
  return execFileSync('sh', ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
const sha256sum = (file: string) => `sha256:${sh(`sha256sum '${file}'`).split(' ')[0]}`;
const sha256sumOf = (pipeCmd: string) => `sha256:${sh(`${pipeCmd} | sha256sum`).split(' ')[0]}`;
/** Member names of a tar, in archive order. */
const tarNames = (file: string, flags = '') => sh(`tar ${flags} -tf '${file}'`).trim().split('\n');
const hex = (digest: string) => digest.replace('sha256:', '');

const baseEntries: EntrySpec[] = [
  { type: 'dir', path: '/etc' },
  { type: 'file', path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
  { type: 'file', path: '/etc/shadow', content: 'root:*:19000:0:99999:7:::\n', mode: 0o640 },
  { type: 'dir', path: '/var/cache/apt/', mode: 0o755 },
  { type: 'file', path: '/var/cache/apt/pkgcache.bin', size: 70_000 },
  { type: 'dir', path: '/bin' },
  { type: 'file', path: '/bin/busybox', size: 3000, mode: 0o755 },
  { type: 'symlink', path: '/bin/sh', target: 'busybox' },
  { type: 'hardlink', path: '/bin/ls', target: '/bin/busybox' },
];

function threeLayerSpec(): ImageSpec {
  return {
    layers: [
      { entries: baseEntries, createdBy: '/bin/sh -c #(nop) ADD file:abc in / ' },
      {
        compression: 'gzip',
        createdBy: '/bin/sh -c apt-get update && apt-get install -y curl',
        entries: [
          { type: 'whiteout', path: '/etc/shadow' },
          { type: 'opaque', dir: '/var/cache/apt' },
          { type: 'file', path: 'home/app/notes.txt', size: 5000, fill: 'text', uid: 1000, gid: 1000 },
        ],
      },
      {
        compression: 'zstd',
        comment: 'buildkit.dockerfile.v0',
        entries: async function* () {
          yield { type: 'dir', path: '/app' };
          for (let i = 0; i < 3; i++) yield { type: 'file', path: `/app/f${i}`, size: 1000 * (i + 1) };
        },
      },
    ],
    emptyHistory: [
      { after: -1, createdBy: '/bin/sh -c #(nop)  ARG VERSION' },
      { after: 0, createdBy: '/bin/sh -c #(nop)  ENV A=1' },
      { after: 2, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]' },
    ],
    user: '10001:10001',
    env: ['PATH=/bin', 'A=1'],
    entrypoint: ['/bin/sh', '-c'],
    cmd: ['echo hi'],
    workingDir: '/app',
  };
}

describe('layers', () => {
  it('names digests by sha256 of the blob and diffIDs by sha256 of the uncompressed tar', async () => {
    const dir = await tempDir();
    const built = await writeOciLayout(threeLayerSpec(), dir, { tag: 'v1' });
    const blob = (d: string) => join(dir, 'blobs', 'sha256', hex(d));

    expect(built.layerDigests).toHaveLength(3);
    for (const [i, d] of built.layerDigests.entries()) {
      expect(sha256sum(blob(d))).toBe(d);
      expect((await stat(blob(d))).size).toBe(built.layerSizes[i]);
    }
    const [none, gz, zst] = built.layerDigests.map(blob) as [string, string, string];
    expect(built.diffIds[0]).toBe(built.layerDigests[0]);
    expect(sha256sumOf(`gzip -dc '${gz}'`)).toBe(built.diffIds[1]);
    expect(sha256sumOf(`zstd -dc '${zst}'`)).toBe(built.diffIds[2]);
    expect(built.layerDigests[1]).not.toBe(built.diffIds[1]);
    expect(Number(sh(`gzip -dc '${gz}' | wc -c`))).toBe(built.layerUncompressedSizes[1]);
    expect((await stat(none)).size % 512).toBe(0);

    // The documents chain together by digest.
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    expect(index.manifests).toEqual([
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: built.manifestDigest,
        size: (await stat(blob(built.manifestDigest))).size,
        annotations: { 'org.opencontainers.image.ref.name': 'v1' },
      },
    ]);
    expect(sha256sum(blob(built.manifestDigest))).toBe(built.manifestDigest);
    const manifest = JSON.parse(await readFile(blob(built.manifestDigest), 'utf8'));
    expect(manifest.config.digest).toBe(built.configDigest);
    expect(sha256sum(blob(built.configDigest))).toBe(built.configDigest);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar',
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+zstd',
    ]);
    const config = JSON.parse(await readFile(blob(built.configDigest), 'utf8'));
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: built.diffIds });
    expect(await readFile(join(dir, 'oci-layout'), 'utf8')).toBe('{"imageLayoutVersion": "1.0.0"}');
  });

  it('writes entries as Docker does: relative names, dirs with /, whiteouts, links, fixed mtime', async () => {
    const dir = await tempDir();
    const built = await writeOciLayout(threeLayerSpec(), dir);
    const blob = (i: number) => join(dir, 'blobs', 'sha256', hex(built.layerDigests[i] ?? ''));

    expect(tarNames(blob(0))).toEqual([
      'etc/',
      'etc/passwd',
      'etc/shadow',
      'var/cache/apt/',
      'var/cache/apt/pkgcache.bin',
      'bin/',
      'bin/busybox',
      'bin/sh',
      'bin/ls',
    ]);
    expect(tarNames(blob(1), '-z')).toEqual([
      'etc/.wh.shadow',
      'var/cache/apt/.wh..wh..opq',
      'home/app/notes.txt',
    ]);
    expect(
      sh(`zstd -dc '${blob(2)}' | tar -tf -`)
        .trim()
        .split('\n'),
    ).toEqual(['app/', 'app/f0', 'app/f1', 'app/f2']);

    const verbose = sh(`tar --numeric-owner --full-time -tvf '${blob(0)}'`);
    expect(verbose).toMatch(/^-rw-r----- 0\/0 +26 2024-01-01 00:00:00 etc\/shadow$/m);
    expect(verbose).toMatch(/^-rw-r--r-- 0\/0 +70000 2024-01-01 00:00:00 var\/cache\/apt\/pkgcache.bin$/m);
    expect(verbose).toMatch(/^lrwxrwxrwx 0\/0 +0 .* bin\/sh -> busybox$/m);
    expect(verbose).toMatch(/^hrw-r--r-- 0\/0 +0 .* bin\/ls link to bin\/busybox$/m);
    expect(verbose).toMatch(/^drwxr-xr-x 0\/0 +0 .* var\/cache\/apt\/$/m);
    expect(sh(`gzip -dc '${blob(1)}' | tar --numeric-owner -tvf - home/app/notes.txt`)).toMatch(
      /^-rw-r--r-- 1000\/1000 +5000 /,
    );

    // Generated content: exact size, seeded by path, and the same bytes fillBytes gives.
    const body = execFileSync('tar', ['-xOf', blob(0), 'var/cache/apt/pkgcache.bin']);
    expect(body.length).toBe(70_000);
    expect(body.equals(fillBytes('/var/cache/apt/pkgcache.bin', 70_000))).toBe(true);
    const text = execFileSync('sh', ['-c', `gzip -dc '${blob(1)}' | tar -xOf - home/app/notes.txt`]);
    expect(text.toString('latin1')).toMatch(/^[a-z0-9 \n]+$/);
  });

  it('writes raw headers verbatim for hostile archives', async () => {
    const dir = await tempDir();
    const built = await writeOciLayout(
      {
        layers: [
          {
            entries: [
              {
                type: 'raw',
                header: { name: '../escape', type: 'file', mode: 0o644 },
                content: Buffer.from('x'),
              },
              { type: 'raw', header: { name: '/abs/path', type: 'file' }, content: Buffer.from('yy') },
              {
                type: 'raw',
                header: { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3 },
              },
            ],
          },
        ],
      },
      dir,
    );
    const layer = join(dir, 'blobs', 'sha256', hex(built.layerDigests[0] ?? ''));
    const names = sh(`tar -tvf '${layer}' 2>&1`);
    expect(names).toContain('../escape');
    expect(names).toContain('/abs/path');
    expect(names).toMatch(/^crw-r--r-- .* 1,3 .*dev\/null$/m);
  });
});

describe('config', () => {
  it('carries history (with empty layers in place), rootfs and the runtime config', async () => {
    const dir = await tempDir();
    const built = await writeOciLayout(threeLayerSpec(), dir);
    const raw = await readFile(join(dir, 'blobs', 'sha256', hex(built.configDigest)), 'utf8');
    const config = JSON.parse(raw);
    expect(config).toEqual(built.config);
    expect(
      config.history.map((h: { created_by: string; empty_layer?: boolean }) => [
        h.created_by,
        !!h.empty_layer,
      ]),
    ).toEqual([
      ['/bin/sh -c #(nop)  ARG VERSION', true],
      ['/bin/sh -c #(nop) ADD file:abc in / ', false],
      ['/bin/sh -c #(nop)  ENV A=1', true],
      ['/bin/sh -c apt-get update && apt-get install -y curl', false],
      [expect.stringMatching(/^\/bin\/sh -c #\(nop\) ADD file:[0-9a-f]{64} in \/ $/), false],
      ['/bin/sh -c #(nop)  CMD ["sh"]', true],
    ]);
    expect(config.history[4].comment).toBe('buildkit.dockerfile.v0');
    expect(config.config).toEqual({
      User: '10001:10001',
      Env: ['PATH=/bin', 'A=1'],
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['echo hi'],
      WorkingDir: '/app',
    });
    expect([config.os, config.architecture]).toEqual(['linux', 'amd64']);
    // Go's encoder escapes & < >, as real configs do.
    expect(raw).toContain('apt-get update \\u0026\\u0026 apt-get install');
  });

  it('omits User when the image runs as root by default', async () => {
    const dir = await tempDir();
    const built = await writeOciLayout({ layers: [{ entries: [] }], cmd: ['bash'] }, dir);
    expect(built.config.config).toEqual({
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['bash'],
    });
    expect('User' in built.config.config).toBe(false);
    // An empty layer is just the two zero blocks that end a tar.
    expect(built.layerSizes).toEqual([1024]);
  });
});

describe('docker-archive layouts', () => {
  it('legacy: docker save before 25, sorted like docker writes it', async () => {
    const dir = await tempDir();
    const file = join(dir, 'img.tar');
    const built = await writeDockerArchive(threeLayerSpec(), file, { repoTags: ['app:1.0'] });
    const names = tarNames(file);
    const manifest = JSON.parse(sh(`tar -xOf '${file}' manifest.json`));
    expect(manifest).toHaveLength(1);
    expect(manifest[0].Config).toBe(`${hex(built.configDigest)}.json`);
    expect(manifest[0].RepoTags).toEqual(['app:1.0']);
    const [l0, l1, l2] = manifest[0].Layers as string[];
    expect(l0).toMatch(/^[0-9a-f]{64}\/layer\.tar$/);
    expect(l1).toBe(`${hex(built.layerDigests[1] ?? '')}.tar.gz`);
    expect(l2).toBe(`${hex(built.layerDigests[2] ?? '')}.tar.zst`);

    const ids = names.filter((n) => /^[0-9a-f]{64}\/$/.test(n)).map((n) => n.slice(0, 64));
    expect(ids).toHaveLength(3);
    const expected = [
      ...ids.flatMap((id) => [
        `${id}/`,
        `${id}/VERSION`,
        `${id}/json`,
        ...(l0 === `${id}/layer.tar` ? [l0] : []),
      ]),
      l1,
      l2,
      `${hex(built.configDigest)}.json`,
      'manifest.json',
      'repositories',
    ].sort();
    expect([...names].sort()).toEqual(expected);
    // Go's filepath.Walk order: sorted names, directories before their contents.
    expect(names).toEqual([...names].sort((a, b) => (a.replace(/\/$/, '') < b.replace(/\/$/, '') ? -1 : 1)));
    expect(names.indexOf('manifest.json')).toBeGreaterThan(names.indexOf(l0 ?? ''));

    expect(sha256sumOf(`tar -xOf '${file}' '${l0}'`)).toBe(built.diffIds[0]);
    expect(sha256sumOf(`tar -xOf '${file}' '${l1}' | gzip -dc`)).toBe(built.diffIds[1]);
    expect(sha256sumOf(`tar -xOf '${file}' '${l2}' | zstd -dc`)).toBe(built.diffIds[2]);
    expect(sha256sumOf(`tar -xOf '${file}' '${manifest[0].Config}'`)).toBe(built.configDigest);

    // v1 metadata: a parent chain ending at the ID `repositories` names.
    const v1 = ids.map((id) => JSON.parse(sh(`tar -xOf '${file}' '${id}/json'`)));
    const top = v1.find((j) => !v1.some((o) => o.parent === j.id));
    expect(JSON.parse(sh(`tar -xOf '${file}' repositories`))).toEqual({ app: { '1.0': top.id } });
    expect(top.config.User).toBe('10001:10001');
    expect(sh(`tar -xOf '${file}' '${ids[0]}/VERSION'`)).toBe('1.0');
  });

  it('legacy: a repeated layer is a symlink to its first copy; no tags means RepoTags null', async () => {
    const dir = await tempDir();
    const file = join(dir, 'img.tar');
    const same = { entries: [{ type: 'file' as const, path: 'a', content: 'same' }] };
    const built = await writeDockerArchive({ layers: [same, same] }, file);
    expect(built.diffIds[0]).toBe(built.diffIds[1]);
    const manifest = JSON.parse(sh(`tar -xOf '${file}' manifest.json`));
    expect(manifest[0].RepoTags).toBeNull();
    const [first, second] = manifest[0].Layers as [string, string];
    expect(first).not.toBe(second);
    expect(sh(`tar -tvf '${file}' '${second}'`)).toContain(`-> ../${first}`);
    expect(tarNames(file)).not.toContain('repositories');
  });

  it('skopeo: <diffID>.tar layers first, then config, legacy symlinks, manifest.json, repositories', async () => {
    const dir = await tempDir();
    const file = join(dir, 'img.tar');
    const spec = threeLayerSpec();
    spec.layers.forEach((l) => (l.compression = 'none'));
    const built = await writeDockerArchive(spec, file, { layout: 'skopeo', repoTags: ['app:1.0'] });
    const names = tarNames(file);
    const layerFiles = built.diffIds.map((d) => `${hex(d)}.tar`);
    expect(names.slice(0, 4)).toEqual([...layerFiles, `${hex(built.configDigest)}.json`]);
    expect(names.slice(-2)).toEqual(['manifest.json', 'repositories']);
    expect(names).toHaveLength(4 + 3 * 3 + 2);
    const manifest = JSON.parse(sh(`tar -xOf '${file}' manifest.json`));
    expect(manifest).toEqual([
      {
        Config: `${hex(built.configDigest)}.json`,
        RepoTags: ['docker.io/library/app:1.0'],
        Layers: layerFiles,
      },
    ]);
    for (const [i, f] of layerFiles.entries())
      expect(sha256sumOf(`tar -xOf '${file}' '${f}'`)).toBe(built.diffIds[i]);
    const links = sh(`tar -tvf '${file}'`)
      .split('\n')
      .filter((l) => l.startsWith('l'));
    expect(links).toHaveLength(3);
    expect(links.map((l) => l.replace(/^.* -> /, ''))).toEqual(layerFiles.map((f) => `../${f}`));
    expect(sh(`tar -tvf '${file}' manifest.json`)).toMatch(/^-r--r--r-- /);
  });

  it('docker25: an OCI layout plus manifest.json pointing into blobs/sha256', async () => {
    const dir = await tempDir();
    const file = join(dir, 'img.tar');
    const spec = threeLayerSpec();
    spec.layers.forEach((l) => (l.compression = 'none'));
    const built = await writeDockerArchive(spec, file, { layout: 'docker25', repoTags: ['app:1.0'] });
    const names = tarNames(file);
    expect(names.filter((n) => !n.startsWith('blobs/'))).toEqual([
      'index.json',
      'manifest.json',
      'oci-layout',
      'repositories',
    ]);
    expect(names.slice(0, 2)).toEqual(['blobs/', 'blobs/sha256/']);
    const blobs = names.filter((n) => /^blobs\/sha256\/[0-9a-f]{64}$/.test(n));
    // 3 layers + config + manifest + 3 legacy v1 JSON blobs.
    expect(blobs).toHaveLength(8);
    for (const b of blobs) expect(sha256sumOf(`tar -xOf '${file}' '${b}'`)).toBe(`sha256:${b.slice(13)}`);

    const manifest = JSON.parse(sh(`tar -xOf '${file}' manifest.json`));
    expect(manifest).toEqual([
      {
        Config: `blobs/sha256/${hex(built.configDigest)}`,
        RepoTags: ['app:1.0'],
        Layers: built.diffIds.map((d) => `blobs/sha256/${hex(d)}`),
      },
    ]);
    const index = JSON.parse(sh(`tar -xOf '${file}' index.json`));
    expect(index.manifests[0].digest).toBe(built.manifestDigest);
    expect(index.manifests[0].annotations).toEqual({
      'io.containerd.image.name': 'docker.io/library/app:1.0',
      'org.opencontainers.image.ref.name': '1.0',
    });
    expect(blobs).toContain(`blobs/sha256/${hex(built.manifestDigest)}`);
  });

  it('oci-archive: the layout tarred with directories first', async () => {
    const dir = await tempDir();
    const file = join(dir, 'img.tar');
    const built = await writeOciArchive(threeLayerSpec(), file, { tag: 'latest' });
    const names = tarNames(file);
    expect(names.slice(0, 2)).toEqual(['blobs/', 'blobs/sha256/']);
    expect(names.slice(-2)).toEqual(['index.json', 'oci-layout']);
    expect(names.filter((n) => n.startsWith('blobs/sha256/') && n.length > 13).sort()).toEqual(
      [...built.layerDigests, built.configDigest, built.manifestDigest]
        .map((d) => `blobs/sha256/${hex(d)}`)
        .sort(),
    );
    const index = JSON.parse(sh(`tar -xOf '${file}' index.json`));
    expect(index.manifests[0].annotations['org.opencontainers.image.ref.name']).toBe('latest');
    expect(await readdir(dir)).toEqual(['img.tar']);
  });

  it('multi-platform: index.json -> tagged nested index -> one manifest per platform (+ attestations)', async () => {
    const dir = await tempDir();
    const amd = threeLayerSpec();
    const arm: ImageSpec = { ...threeLayerSpec(), architecture: 'arm64', variant: 'v8' };
    arm.layers = [{ entries: [{ type: 'file', path: 'arch', content: 'arm64' }] }];
    const { indexDigest, images } = await writeOciMultiPlatform([amd, arm], dir, {
      tag: 'multi',
      attestation: true,
    });
    const read = async (d: string) =>
      JSON.parse(await readFile(join(dir, 'blobs', 'sha256', hex(d)), 'utf8'));
    const top = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    expect(top.manifests).toHaveLength(1);
    expect(top.manifests[0]).toMatchObject({
      mediaType: 'application/vnd.oci.image.index.v1+json',
      digest: indexDigest,
      annotations: { 'org.opencontainers.image.ref.name': 'multi' },
    });
    expect(sha256sum(join(dir, 'blobs', 'sha256', hex(indexDigest)))).toBe(indexDigest);
    const nested = await read(indexDigest);
    expect(nested.manifests.map((m: { platform: object }) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
      { architecture: 'unknown', os: 'unknown' },
      { architecture: 'unknown', os: 'unknown' },
    ]);
    expect(nested.manifests[0].digest).toBe(images[0]?.manifestDigest);
    expect(nested.manifests[1].digest).toBe(images[1]?.manifestDigest);
    expect(nested.manifests[2].annotations).toEqual({
      'vnd.docker.reference.digest': images[0]?.manifestDigest,
      'vnd.docker.reference.type': 'attestation-manifest',
    });
    const att = await read(nested.manifests[3].digest);
    expect(att.layers[0].mediaType).toBe('application/vnd.in-toto+json');
    expect((await read(images[1]?.configDigest ?? '')).variant).toBe('v8');
    // Every blob referenced anywhere is present and named by its hash.
    for (const name of await readdir(join(dir, 'blobs', 'sha256'))) {
      expect(sha256sum(join(dir, 'blobs', 'sha256', name))).toBe(`sha256:${name}`);
    }
  });

  it.skipIf(!existsSync('/usr/bin/skopeo'))('every layout is readable by skopeo', async () => {
    const dir = await tempDir();
    const spec = threeLayerSpec();
    for (const layout of ['legacy', 'skopeo', 'docker25'] as const) {
      await writeDockerArchive(spec, join(dir, `${layout}.tar`), { layout, repoTags: ['app:1'] });
    }
    const oci = await writeOciLayout(spec, join(dir, 'oci'), { tag: 'x' });
    await writeOciArchive(spec, join(dir, 'oci.tar'), { tag: 'x' });
    await writeOciMultiPlatform([spec], join(dir, 'multi'), { tag: 'x', attestation: true });
    for (const ref of [
      'docker-archive:legacy.tar',
      'docker-archive:skopeo.tar',
      'docker-archive:docker25.tar',
    ]) {
      const out = JSON.parse(sh(`cd '${dir}' && skopeo inspect --config ${ref}`));
      expect(out.rootfs.diff_ids).toEqual(oci.diffIds);
    }
    for (const ref of ['oci:oci:x', 'oci-archive:oci.tar:x', 'oci:multi:x']) {
      const out = JSON.parse(sh(`cd '${dir}' && skopeo inspect ${ref}`));
      expect(out.Layers).toEqual(oci.layerDigests);
    }
  });
});

describe('determinism', () => {
  it('the same spec gives byte-identical outputs', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    for (const d of [a, b]) {
      await writeDockerArchive(threeLayerSpec(), join(d, 'img.tar'), { repoTags: ['x:1'] });
      await writeOciLayout(threeLayerSpec(), join(d, 'oci'));
    }
    expect(spawnSync('cmp', [join(a, 'img.tar'), join(b, 'img.tar')]).status).toBe(0);
    expect(spawnSync('diff', ['-r', join(a, 'oci'), join(b, 'oci')]).status).toBe(0);
    // ...and a different seed gives different bytes.
    expect(fillBytes('x', 100).equals(fillBytes('x', 100))).toBe(true);
    expect(fillBytes('x', 100).equals(fillBytes('y', 100))).toBe(false);
  });
});

// Peak memory while writing a 50 MB layer is measured by bench/image-builder-memory.ts.

describe('helpers', () => {
  it('writeTar writes a plain tar of the given members', async () => {
    const dir = await tempDir();
    const file = join(dir, 'plain.tar');
    await writeTar(file, [
      { name: 'docs/', type: 'dir' },
      { name: 'docs/readme.txt', content: 'not an image' },
      { name: 'empty' },
    ]);
    expect(tarNames(file)).toEqual(['docs/', 'docs/readme.txt', 'empty']);
    expect(sh(`tar -xOf '${file}' docs/readme.txt`)).toBe('not an image');
  });

  it('tempDir directories are removed by cleanupTempDirs', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'x'), 'x');
    await cleanupTempDirs();
    expect(existsSync(dir)).toBe(false);
  });
});
