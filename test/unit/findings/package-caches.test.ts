import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../../helpers/image-builder.js';
import { BASE, file, findingsOf, reportFor, run, whiteout } from '../../helpers/generated-report.js';

afterAll(cleanupTempDirs);

const nginx = file('usr/sbin/nginx', 500);
const lists = [
  file('var/lib/apt/lists/deb.example_dists_bookworm_main_binary-amd64_Packages', 3000),
  file('var/lib/apt/lists/deb.example_dists_bookworm_InRelease', 1000),
  file('var/lib/apt/lists/lock', 0),
];

describe('apt-lists-left', () => {
  it('reports lists a RUN left, and rewrites that RUN as the issue shows', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('apt-get update && apt-get install -y nginx'), entries: [nginx, ...lists] },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding, ...more] = findingsOf(report, 'apt-lists-left');
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'warning',
      layerIndex: 1,
      createdBy: '/bin/sh -c apt-get update && apt-get install -y nginx',
      wastedBytes: 4000,
      paths: [
        { path: '/var/lib/apt/lists/deb.example_dists_bookworm_main_binary-amd64_Packages', sizeBytes: 3000 },
        { path: '/var/lib/apt/lists/deb.example_dists_bookworm_InRelease', sizeBytes: 1000 },
        { path: '/var/lib/apt/lists/lock', sizeBytes: 0 },
      ],
      pathsOmitted: 0,
    });
    expect(finding?.advice.dockerfile).toEqual({
      before: 'RUN apt-get update && apt-get install -y nginx',
      after:
        'RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*',
    });
    expect(report.findings.summary.potentialSavingsBytes).toBe(4000);
  });

  it('finds nothing when the same RUN removed the lists (they never reach the layer)', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run(
            'apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*',
          ),
          entries: [nginx],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'apt-lists-left')).toEqual([]);
    expect(findingsOf(report, 'apt-install-recommends')).toEqual([]);
  });

  it('counts the full bytes when a later layer deletes the lists, and explains them once', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('apt-get update && apt-get install -y --no-install-recommends nginx'),
          entries: [nginx, ...lists],
        },
        {
          createdBy: run('rm -rf /var/lib/apt/lists/*'),
          entries: lists.map((entry) => whiteout(entry.path)),
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'apt-lists-left');
    expect(finding?.wastedBytes).toBe(4000);
    expect(finding?.message).toBe(
      '3 files of apt package lists (4,000 bytes) written by layer 1; layer 2 removed them, but the bytes are still stored in layer 1.',
    );
    expect(finding?.advice.dockerfile?.after).toBe(
      'RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*',
    );
    // The general rule leaves these bytes to the specific one.
    expect(findingsOf(report, 'deleted-in-later-layer')).toEqual([]);
    expect(report.findings.summary.potentialSavingsBytes).toBe(4000);
  });

  it('hands the bytes to deleted-in-later-layer when apt-lists-left is disabled', async () => {
    const report = await reportFor(
      {
        layers: [
          BASE.layer,
          {
            createdBy: run('apt-get update && apt-get install -y --no-install-recommends nginx'),
            entries: [nginx, ...lists],
          },
          {
            createdBy: run('rm -rf /var/lib/apt/lists/*'),
            entries: lists.map((entry) => whiteout(entry.path)),
          },
        ],
        emptyHistory: [BASE.history],
      },
      { disabled: new Set(['apt-lists-left']), severity: new Map() },
    );
    expect(findingsOf(report, 'apt-lists-left')).toEqual([]);
    const [general] = findingsOf(report, 'deleted-in-later-layer');
    expect(general).toMatchObject({
      layerIndex: 1,
      wastedBytes: 4000,
      title: 'Files from layer 1 deleted in layer 2',
    });
    expect(general?.advice.dockerfile?.after).toBe(
      'RUN apt-get update && apt-get install -y --no-install-recommends nginx \\\n    && rm -rf /var/lib/apt/lists/*',
    );
  });
});

describe('apt-archives-left', () => {
  it('reports .deb and .bin caches, and adds apt-get clean to the RUN', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run(
            'apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*',
          ),
          entries: [
            nginx,
            file('var/cache/apt/pkgcache.bin', 2000),
            file('var/cache/apt/archives/nginx_1.22_amd64.deb', 5000),
            file('var/cache/apt/archives/lock', 0),
          ],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'apt-archives-left');
    expect(finding).toMatchObject({ layerIndex: 1, wastedBytes: 7000, pathsOmitted: 0 });
    expect(finding?.paths.map((p) => p.path)).toEqual([
      '/var/cache/apt/archives/nginx_1.22_amd64.deb',
      '/var/cache/apt/pkgcache.bin',
    ]);
    expect(finding?.advice.dockerfile?.after).toBe(
      'RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/* && apt-get clean',
    );
  });

  it('finds nothing without cached packages', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('apt-get install -y nginx'),
          entries: [nginx, file('var/cache/apt/archives/lock', 0)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'apt-archives-left')).toEqual([]);
  });
});

describe('apk-cache-left', () => {
  it('reports /var/cache/apk and advises apk add --no-cache', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: 'RUN /bin/sh -c apk update && apk add curl # buildkit',
          entries: [file('usr/bin/curl', 800), file('var/cache/apk/APKINDEX.5022a8a2.tar.gz', 1500)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'apk-cache-left');
    expect(finding).toMatchObject({ layerIndex: 1, wastedBytes: 1500 });
    expect(finding?.advice.dockerfile).toEqual({
      before: 'RUN apk update && apk add curl',
      after: 'RUN apk update && apk add --no-cache curl && rm -rf /var/cache/apk/*',
    });
  });

  it('finds nothing with apk add --no-cache', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('apk add --no-cache curl'), entries: [file('usr/bin/curl', 800)] },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'apk-cache-left')).toEqual([]);
  });
});

describe('dnf-yum-cache-left', () => {
  it('reports the dnf cache and advises the clean of the tool the RUN used', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('dnf install -y httpd'),
          entries: [file('var/cache/dnf/fedora-1/packages/httpd.rpm', 4000)],
        },
        {
          createdBy: run('yum install -y git'),
          entries: [file('var/cache/yum/x86_64/base/packages/git.rpm', 3000)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(
      findingsOf(report, 'dnf-yum-cache-left').map((f) => [
        f.layerIndex,
        f.wastedBytes,
        f.advice.dockerfile?.after,
      ]),
    ).toEqual([
      [1, 4000, 'RUN dnf install -y httpd && dnf clean all'],
      [2, 3000, 'RUN yum install -y git && yum clean all'],
    ]);
  });

  it('finds nothing when the cache directory holds no files', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('dnf install -y httpd && dnf clean all'),
          entries: [{ type: 'dir', path: 'var/cache/dnf' }],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'dnf-yum-cache-left')).toEqual([]);
  });
});

describe('pip-cache-left', () => {
  it('reports ~/.cache/pip and adds --no-cache-dir right after install', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('pip install -r requirements.txt && python3 -m pip install gunicorn'),
          entries: [
            file('root/.cache/pip/http-v2/a/b/c.body', 2500),
            file('root/.cache/pip/selfcheck/x.json', 70),
          ],
        },
      ],
      emptyHistory: [BASE.history],
    });
    const [finding] = findingsOf(report, 'pip-cache-left');
    expect(finding?.wastedBytes).toBe(2570);
    expect(finding?.advice.dockerfile?.after).toBe(
      'RUN pip install --no-cache-dir -r requirements.txt && python3 -m pip install --no-cache-dir gunicorn',
    );
    // ~/.cache is also a temp location; the pip cache is pip-cache-left's alone.
    expect(findingsOf(report, 'temp-files-left')).toEqual([]);
  });

  it('finds nothing with --no-cache-dir', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('pip install --no-cache-dir flask'),
          entries: [file('usr/lib/python3/flask/__init__.py', 900)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'pip-cache-left')).toEqual([]);
  });
});

describe('npm-cache-left', () => {
  it('reports the npm and the yarn cache with their own clean commands', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        { createdBy: run('npm ci'), entries: [file('root/.npm/_cacache/content-v2/sha512/aa/bb', 3000)] },
        {
          createdBy: run('yarn install --frozen-lockfile'),
          entries: [file('usr/local/share/.cache/yarn/v6/npm-left-pad-1.3.0/index.js', 1200)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(
      findingsOf(report, 'npm-cache-left').map((f) => [
        f.layerIndex,
        f.wastedBytes,
        f.advice.dockerfile?.after,
      ]),
    ).toEqual([
      [1, 3000, 'RUN npm ci && npm cache clean --force'],
      [2, 1200, 'RUN yarn install --frozen-lockfile && yarn cache clean'],
    ]);
  });

  it('finds nothing in node_modules itself', async () => {
    const report = await reportFor({
      layers: [
        BASE.layer,
        {
          createdBy: run('npm ci && npm cache clean --force'),
          entries: [file('app/node_modules/left-pad/index.js', 400)],
        },
      ],
      emptyHistory: [BASE.history],
    });
    expect(findingsOf(report, 'npm-cache-left')).toEqual([]);
  });
});
