import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LayerResultCache } from '../../../src/cache/index.js';
import type { LayerContents } from '../../../src/model/index.js';
import { storedLayerResult, storeLayerResult } from '../../../src/services/layer-results.js';
import type { LayerBlob } from '../../../src/sources/index.js';
import { layer } from '../../helpers/layer-contents.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

afterAll(cleanupTempDirs);

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const blobBytes = Buffer.from('the stored bytes of a layer');
const other = Buffer.from('the stored bytes of another layer');
const DIFF_ID = sha256(Buffer.from('its tar'));

function blob(bytes: Buffer, fields: Partial<LayerBlob> = {}): LayerBlob {
  return {
    descriptor: {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: sha256(blobBytes),
      size: bytes.length,
    },
    diffId: DIFF_ID,
    open: async () => Readable.from([bytes]),
    ...fields,
  };
}

/** The id of the test cache's content key: a result hashed under another is not stored. */
let keyId = '';

function result(storedBytes: number): LayerContents {
  return { ...layer(['file', '/a', 1]), storedBytes, compression: 'gzip', contentKeyId: keyId };
}

describe('layer results by computed identity', () => {
  let cache: LayerResultCache;
  beforeEach(async () => {
    cache = new LayerResultCache(await tempDir(), { version: 'test' });
    keyId = (await cache.contentKey())?.id ?? '';
  });

  it('a registry layer is found by its blob digest and diff_id, never by a mis-paired diff_id', async () => {
    await storeLayerResult(cache, 'registry', blob(blobBytes), 'layer 1', result(blobBytes.length));
    expect((await storedLayerResult(cache, 'registry', blob(blobBytes), 'layer 0'))?.entries.length).toBe(1);
    const misPaired = blob(blobBytes, { diffId: sha256(Buffer.from('another tar')) });
    expect(await storedLayerResult(cache, 'registry', misPaired, 'layer 0')).toBeNull();
    expect(
      await storedLayerResult(cache, 'registry', blob(blobBytes, { diffId: null }), 'layer 0'),
    ).toBeNull();
  });

  it('a descriptor declaring another size than the bytes the result was read from finds nothing', async () => {
    await storeLayerResult(cache, 'oci-layout', blob(blobBytes), 'layer 0', result(blobBytes.length));
    const bigger = blob(blobBytes);
    bigger.descriptor = {
      ...(bigger.descriptor as NonNullable<LayerBlob['descriptor']>),
      size: blobBytes.length + 1,
    };
    expect(await storedLayerResult(cache, 'oci-layout', bigger, 'layer 0')).toBeNull();
  });

  it('an archive layer is hashed first: other bytes under the same name find nothing', async () => {
    await storeLayerResult(cache, 'docker-archive', blob(blobBytes), 'layer 0', result(blobBytes.length));
    expect(await storedLayerResult(cache, 'docker-archive', blob(blobBytes), 'layer 0')).not.toBeNull();
    expect(await storedLayerResult(cache, 'docker-archive', blob(other), 'layer 0')).toBeNull();
  });

  it('an uncompressed archive member with no digest name is stored under its diff_id; a compressed one is not stored', async () => {
    const tar = Buffer.from('an uncompressed layer');
    const member = blob(tar, { descriptor: null, diffId: sha256(tar) });
    await storeLayerResult(cache, 'docker-archive', member, 'layer 0', {
      ...result(tar.length),
      compression: 'none',
    });
    expect(await storedLayerResult(cache, 'docker-archive', member, 'layer 0')).not.toBeNull();

    const gz = blob(blobBytes, { descriptor: null });
    await storeLayerResult(cache, 'docker-archive', gz, 'layer 0', result(blobBytes.length));
    expect((await cache.list()).map((entry) => entry.digest)).toEqual([sha256(tar)]);
  });
});
