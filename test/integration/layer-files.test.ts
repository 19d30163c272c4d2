import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir, writeDockerArchive } from '../helpers/image-builder.js';
import { DIVE_FIXTURES, expectOneLineError, runCli } from '../helpers/run-cli.js';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/imgscope-analysis.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv.default({ allErrors: true, strict: false }).compile(schema);

interface LayerFilesJson {
  layers: {
    files?: {
      path: string;
      type: string;
      size: number;
      mode: number;
      uid: number;
      gid: number;
      linkTarget: string | null;
      change: string;
    }[];
  }[];
}

describe('analyze --format json --layer-files', () => {
  let image: string;

  beforeAll(async () => {
    image = join(await tempDir('imgscope-layer-files-'), 'image.tar');
    await writeDockerArchive(
      {
        layers: [
          {
            entries: [
              { type: 'dir', path: 'etc', mode: 0o755 },
              { type: 'file', path: 'etc/app.conf', content: 'one', mode: 0o644 },
              { type: 'file', path: 'etc/keep', content: 'k', mode: 0o644 },
            ],
          },
          {
            entries: [
              { type: 'file', path: 'etc/app.conf', content: 'one', mode: 0o600, uid: 1000, gid: 1000 },
              { type: 'file', path: 'etc/keep', content: 'changed' },
              { type: 'symlink', path: 'etc/alias', target: 'app.conf' },
              { type: 'whiteout', path: 'etc/gone' },
            ],
          },
        ],
      },
      image,
    );
  });
  afterAll(cleanupTempDirs);

  it('lists every entry of every layer with what it changed, and matches the schema', async () => {
    const result = await runCli(['analyze', image, '--format', 'json', '--layer-files']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as LayerFilesJson;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.layers.map((layer) => layer.files)).toEqual([
      [
        {
          path: '/etc',
          type: 'directory',
          size: 0,
          mode: 0o755,
          uid: 0,
          gid: 0,
          linkTarget: null,
          change: 'added',
        },
        {
          path: '/etc/app.conf',
          type: 'file',
          size: 3,
          mode: 0o644,
          uid: 0,
          gid: 0,
          linkTarget: null,
          change: 'added',
        },
        {
          path: '/etc/keep',
          type: 'file',
          size: 1,
          mode: 0o644,
          uid: 0,
          gid: 0,
          linkTarget: null,
          change: 'added',
        },
      ],
      [
        {
          path: '/etc/app.conf',
          type: 'file',
          size: 3,
          mode: 0o600,
          uid: 1000,
          gid: 1000,
          linkTarget: null,
          change: 'metadata-only',
        },
        {
          path: '/etc/keep',
          type: 'file',
          size: 7,
          mode: 0o644,
          uid: 0,
          gid: 0,
          linkTarget: null,
          change: 'modified',
        },
        {
          path: '/etc/alias',
          type: 'symlink',
          size: 0,
          mode: 0o777,
          uid: 0,
          gid: 0,
          linkTarget: 'app.conf',
          change: 'added',
        },
        {
          path: '/etc/gone',
          type: 'whiteout',
          size: 0,
          mode: 0o644,
          uid: 0,
          gid: 0,
          linkTarget: null,
          change: 'removed',
        },
      ],
    ]);
  });

  it('leaves the report without files unless asked, and the report matches the schema', async () => {
    for (const file of ['test-docker-image.tar', 'test-oci-zstd-image.tar']) {
      const json = JSON.parse(
        (await runCli(['analyze', `${DIVE_FIXTURES}${file}`, '--json'])).stdout,
      ) as LayerFilesJson;
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
      expect(json.layers.every((layer) => layer.files === undefined)).toBe(true);
    }
  });

  it('refuses --layer-files without JSON', async () => {
    const result = await runCli(['analyze', image, '--layer-files']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe('imgscope: error: --layer-files needs --format json');
  });
});
