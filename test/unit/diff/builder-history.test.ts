import { describe, expect, it } from 'vitest';
import { emptyChanges } from '../../../src/analysis/index.js';
import { alignLayers, stepKey } from '../../../src/diff/index.js';
import type { LayerReport } from '../../../src/model/index.js';
import { optimisedNginx, wastefulNginx, type Builder } from '../../helpers/nginx-images.js';

/** The layers of a build as the diff sees them, each with its own (different) content. */
function layersOf(
  build: (builder: Builder) => ReturnType<typeof wastefulNginx>,
  builder: Builder,
): LayerReport[] {
  return build(builder).layers.map((layer, index) => ({
    index,
    diffId: `sha256:${builder}-${index}`,
    digest: null,
    createdBy: layer.createdBy ?? '',
    command: layer.createdBy ?? '',
    sizeBytes: 0,
    compressedSizeBytes: null,
    fileCount: 0,
    changes: emptyChanges(),
  }));
}

describe('history of the classic builder and BuildKit', () => {
  it('reads as the same steps: RUN, COPY by destination, EXPOSE without Go map syntax', () => {
    expect(stepKey('RUN /bin/sh -c apt-get update # buildkit')).toBe(stepKey('/bin/sh -c apt-get update'));
    expect(stepKey('COPY site/ /var/www/html/ # buildkit')).toBe(
      stepKey('/bin/sh -c #(nop) COPY dir:5f1d0c9e8b7a6f5e4d3c2b1a in /var/www/html/ '),
    );
    expect(stepKey('EXPOSE map[8080/tcp:{} 53/udp:{}]')).toBe('EXPOSE 8080 53/udp');
    expect(stepKey('/bin/sh -c #(nop)  EXPOSE 8080/tcp 53/udp')).toBe('EXPOSE 8080 53/udp');
  });

  it.each([wastefulNginx, optimisedNginx])('aligns step by step across builders (%o)', (build) => {
    const rows = alignLayers(layersOf(build, 'classic'), layersOf(build, 'buildkit')).rows;
    expect(rows.map((r) => [r.status, r.beforeIndex, r.afterIndex])).toEqual(
      build('classic').layers.map((_, i) => ['changed', i, i]),
    );
  });
});
