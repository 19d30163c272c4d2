import { describe, expect, it } from 'vitest';
import { findProblems } from '../../../src/findings/index.js';
import { selection } from '../../../src/findings/layer-timeline.js';
import type { LayerContents } from '../../../src/model/index.js';
import { analysisOfLayers, layer } from '../../helpers/layer-contents.js';

const ARCHIVES = [
  '/dl/a.tar',
  '/dl/a.tar.gz',
  '/dl/a.tgz',
  '/dl/a.tar.bz2',
  '/dl/a.tbz2',
  '/dl/a.tar.xz',
  '/dl/a.txz',
  '/dl/a.tar.zst',
  '/dl/a.tzst',
  '/dl/a.zip',
  '/dl/a.jar',
  '/dl/a.war',
  '/dl/a.7z',
];

/** The first layer copied in, the second a RUN that extracts every archive of ARCHIVES. */
const HISTORY = [
  '/bin/sh -c #(nop) COPY dir:01 in / ',
  `/bin/sh -c ${ARCHIVES.map((path) => (path.match(/\.(?:zip|jar|war)$/) ? `unzip ${path}` : path.endsWith('.7z') ? `7z x ${path}` : `tar -xf ${path}`)).join(' && ')}`,
];

/** A file of every kind a rule's selection takes, beside near misses, in two layers (the first's partly hidden). */
function contents(): LayerContents[] {
  const paths = [
    '/root/.ssh/id_ecdsa',
    '/root/.ssh/id_rsa.pub',
    '/app/.env',
    '/app/.env.production',
    '/app/.env.example',
    '/home/u/.git-credentials',
    '/home/u/.aws/credentials',
    '/srv/credentials',
    '/etc/nginx/.htpasswd',
    '/certs/store.p12',
    '/certs/store.pfx',
    ...ARCHIVES,
    '/dl/a.tar.gz.sig',
    '/var/lib/apt/lists/deb_Packages',
    '/var/cache/apt/archives/curl.deb',
    '/var/cache/apt/pkgcache.bin',
    '/var/cache/apk/APKINDEX.tar.gz',
    '/etc/apk/cache/x.apk',
    '/var/cache/dnf/repo.solv',
    '/root/.cache/pip/wheels/x.whl',
    '/root/.npm/_cacache/index',
    '/home/u/.cache/yarn/v6/x',
    '/tmp/build.log',
    '/var/tmp/x',
    '/root/.cache/other/x',
    '/src/.git/HEAD',
    '/usr/share/doc/cache-free',
  ];
  const first = layer(...paths.map((path): Parameters<typeof layer>[number] => ['file', path, 100]), [
    'file',
    '/keep/secret.pem',
    50,
  ]);
  first.entries.setSecretKinds(paths.length, ['private-key']);
  const second = layer(['whiteout', '/dl/a.tar'], ['whiteout', '/tmp/build.log'], ['file', '/dl/b.zip', 10]);
  return [first, second];
}

describe('the shared walk of offered entries', () => {
  it('gives every rule the findings a walk of every entry gives it', () => {
    const offered = findProblems(analysisOfLayers(contents(), HISTORY));
    // A selection without an offer makes every later shared walk call every filter on every entry.
    selection(() => false);
    const everyEntry = findProblems(analysisOfLayers(contents(), HISTORY));
    expect(offered.findings.length).toBeGreaterThan(5);
    expect(offered).toEqual(everyEntry);
  });
});
