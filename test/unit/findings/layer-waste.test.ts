import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { BASE, file, findingsOf, reportFor, run, whiteout } from '../../helpers/generated-report.js';

afterAll(cleanupTempDirs);

describe('deleted-in-later-layer', () => {
  it('groups by the pair of layers, deleted and overwritten, with the full stored bytes', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('make -C /src'),
          entries: [
            file('src/out.o', 5000),
            file('src/lib.o', 2000),
            file('src/app', 700),
            file('data/seed.db', 1500),
          ],
        },
        {
          createdBy: run('rm /src/out.o /src/lib.o'),
          entries: [whiteout('src/out.o'), whiteout('src/lib.o')],
        },
        {
          createdBy: run('generate-seed > /data/seed.db'),
          entries: [file('data/seed.db', 1800, { seed: 'other' })],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const findings = findingsOf(report, 'deleted-in-later-layer');
    expect(findings.map((f) => [f.title, f.layerIndex, f.wastedBytes, f.paths.map((p) => p.path)])).toEqual([
      ['Files from layer 1 deleted in layer 2', 1, 7000, ['/src/out.o', '/src/lib.o']],
      ['Files from layer 1 overwritten in layer 3', 1, 1500, ['/data/seed.db']],
    ]);
    expect(findings[0]?.message).toBe(
      '2 files (7,000 bytes) stored by layer 1 and deleted by layer 2: they are still in the image.',
    );
    expect(findings[0]?.advice.dockerfile).toEqual({
      before: 'RUN make -C /src\nRUN rm /src/out.o /src/lib.o',
      after: 'RUN make -C /src \\\n    && rm /src/out.o /src/lib.o',
    });
    expect(report.findings.summary.potentialSavingsBytes).toBe(8500);
  });

  it('counts what an opaque directory hides', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('fetch-assets'), entries: [file('assets/a.bin', 3000), file('assets/b.bin', 1000)] },
        {
          createdBy: run('rm -rf /assets && mkdir /assets && touch /assets/c'),
          entries: [{ type: 'opaque', dir: 'assets' }, file('assets/c', 0)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'deleted-in-later-layer').map((f) => [f.layerIndex, f.wastedBytes])).toEqual([
      [1, 4000],
    ]);
  });

  it('ignores package databases rewritten by installs and a COPY that brings a file again unchanged', async () => {
    const report = await reportFor({
      layers: [
        { ...BASE.layer, entries: [file('bin/sh', 100), file('var/lib/dpkg/status', 4000)] },
        {
          createdBy: '/bin/sh -c #(nop) COPY file:aa in /app/ ',
          entries: [file('app/requirements.txt', 40, { content: 'flask\n' })],
        },
        {
          createdBy: run('apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*'),
          entries: [file('var/lib/dpkg/status', 4500, { seed: 'status-2' }), file('usr/bin/curl', 900)],
        },
        {
          createdBy: '/bin/sh -c #(nop) COPY dir:bb in /app ',
          entries: [file('app/requirements.txt', 40, { content: 'flask\n' }), file('app/main.py', 300)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'deleted-in-later-layer')).toEqual([]);
  });
});

describe('chown-duplicate and chmod-duplicate', () => {
  const app = [
    file('app/server.py', 3000, { content: 'x'.repeat(3000) }),
    file('app/static/app.js', 4000, { content: 'y'.repeat(4000) }),
  ];
  const copied = { createdBy: 'COPY . /app # buildkit', comment: 'buildkit.dockerfile.v0', entries: app };

  it('reports a RUN chown -R that stores identical content again, and advises COPY --chown', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        copied,
        {
          createdBy: 'RUN /bin/sh -c chown -R 10001:10001 /app # buildkit',
          entries: app.map((entry) => ({ ...entry, uid: 10001, gid: 10001 })),
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding, ...more] = findingsOf(report, 'chown-duplicate');
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      layerIndex: 2,
      wastedBytes: 7000,
      message:
        'Layer 2 stores 2 files (7,000 bytes) again with the same content as layer 1 and only a new owner.',
      advice: {
        dockerfile: {
          before: 'COPY . /app\nRUN chown -R 10001:10001 /app',
          after: 'COPY --chown=10001:10001 . /app',
        },
      },
    });
    expect(findingsOf(report, 'chmod-duplicate')).toEqual([]);
    expect(findingsOf(report, 'deleted-in-later-layer')).toEqual([]);
    expect(report.findings.summary.potentialSavingsBytes).toBe(7000);
  });

  it('reports a RUN chmod -R as chmod-duplicate with COPY --chmod', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { ...copied, createdBy: '/bin/sh -c #(nop) COPY dir:8a3c1f6e2d9b7a5c4e3f2d1c0b9a8e7f in /app ' },
        { createdBy: run('chmod -R 755 /app'), entries: app.map((entry) => ({ ...entry, mode: 0o755 })) },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'chmod-duplicate');
    expect(finding).toMatchObject({ layerIndex: 2, wastedBytes: 7000 });
    expect(finding?.advice.dockerfile).toEqual({
      before: 'COPY dir:8a3c1f6e2d9b… /app\nRUN chmod -R 755 /app',
      after: 'COPY --chmod=755 <your source> /app',
    });
    expect(findingsOf(report, 'chown-duplicate')).toEqual([]);
  });

  it('does not call a chown that changes content a duplicate: that is an overwrite', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        copied,
        {
          createdBy: run('chown -R 10001:10001 /app && sed -i s/x/z/ /app/server.py'),
          entries: [
            { ...app[0]!, content: 'z'.repeat(3000), uid: 10001, gid: 10001 },
            { ...app[1]!, uid: 10001, gid: 10001 },
          ],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(
      findingsOf(report, 'chown-duplicate').map((f) => [f.wastedBytes, f.paths.map((p) => p.path)]),
    ).toEqual([[4000, ['/app/static/app.js']]]);
    expect(findingsOf(report, 'deleted-in-later-layer').map((f) => [f.title, f.wastedBytes])).toEqual([
      ['Files from layer 1 overwritten in layer 2', 3000],
    ]);
  });

  it('lets the command decide when both owner and mode changed', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        copied,
        {
          createdBy: run('chmod -R 700 /app'),
          entries: app.map((entry) => ({ ...entry, mode: 0o700, uid: 5, gid: 5 })),
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'chmod-duplicate').map((f) => f.wastedBytes)).toEqual([7000]);
    expect(findingsOf(report, 'chown-duplicate')).toEqual([]);
  });
});

describe('archive-extracted-later', () => {
  it('reports an archive copied in and extracted by a later RUN, and advises ADD', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: '/bin/sh -c #(nop) COPY file:c2f9e1d0a7b6c5d4e3f2 in /tmp/app.tar.gz ',
          entries: [file('tmp/app.tar.gz', 9000)],
        },
        {
          createdBy: run('mkdir -p /opt/app && tar -xzf /tmp/app.tar.gz -C /opt/app && rm /tmp/app.tar.gz'),
          entries: [file('opt/app/bin/app', 20000), whiteout('tmp/app.tar.gz')],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding, ...more] = findingsOf(report, 'archive-extracted-later');
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      layerIndex: 1,
      wastedBytes: 9000,
      message:
        '/tmp/app.tar.gz (9,000 bytes) is added by layer 1 and extracted by layer 2; layer 2 removed it, but it is still stored in layer 1.',
      advice: {
        dockerfile: {
          before:
            'COPY file:c2f9e1d0a7b6… /tmp/app.tar.gz\nRUN mkdir -p /opt/app && tar -xzf /tmp/app.tar.gz -C /opt/app && rm /tmp/app.tar.gz',
          after: 'ADD app.tar.gz /opt/app/',
        },
      },
    });
    // Explained once: the deletion of the archive is this finding's, not the general rule's.
    expect(findingsOf(report, 'deleted-in-later-layer')).toEqual([]);
    expect(report.findings.summary.potentialSavingsBytes).toBe(9000);
  });

  it('reports a zip kept in the image without a Dockerfile rewrite', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: 'COPY site.zip /srv/ # buildkit', entries: [file('srv/site.zip', 6000)] },
        {
          createdBy: 'RUN /bin/sh -c cd /srv && unzip site.zip # buildkit',
          entries: [file('srv/index.html', 8000)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'archive-extracted-later');
    expect(finding?.wastedBytes).toBe(6000);
    expect(finding?.message).toContain('it is still in the final image');
    expect(finding?.advice.dockerfile).toBeUndefined();
  });

  it('finds nothing for an archive no later step extracts, or one a RUN downloaded', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: 'COPY dist.tar.gz /srv/ # buildkit', entries: [file('srv/dist.tar.gz', 6000)] },
        {
          createdBy: run('curl -o /opt/x.tgz https://example.invalid/x.tgz'),
          entries: [file('opt/x.tgz', 5000)],
        },
        { createdBy: run('tar -xzf /opt/x.tgz -C /opt && ls /srv'), entries: [file('opt/x/bin', 7000)] },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'archive-extracted-later')).toEqual([]);
  });
});
