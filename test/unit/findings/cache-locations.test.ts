import { describe, expect, it } from 'vitest';
import { isPackageCache } from '../../../src/findings/cache-locations.js';

describe('isPackageCache', () => {
  it('knows each package manager cache location', () => {
    const caches = [
      '/var/lib/apt/lists/deb.example_dists_bookworm_InRelease',
      '/var/cache/apt/pkgcache.bin',
      '/var/cache/apt/archives/partial/curl_8.0_amd64.deb',
      '/var/cache/apk/APKINDEX.tar.gz',
      '/etc/apk/cache/installed',
      '/var/cache/dnf/repodata.xml',
      '/var/cache/libdnf5/x',
      '/root/.cache/pip/http/a',
      '/home/app/.npm/_cacache/index-v5/x',
      '/home/app/.npm/_logs/debug.log',
      '/usr/local/share/.cache/yarn/v6/x',
      '/app/.yarn/berry/cache/x.zip',
    ];
    expect(caches.filter((path) => !isPackageCache(path))).toEqual([]);
  });

  it('leaves other paths, including ones that only look close', () => {
    const others = [
      '/usr/lib/x86_64-linux-gnu/libssl.so.3',
      '/var/cache/apt/archives/lock',
      '/var/lib/apt/lists',
      '/home/app/.npm/bin/x',
      '/srv/cache-busting/app.js',
      '/etc/apt/sources.list',
    ];
    expect(others.filter((path) => isPackageCache(path))).toEqual([]);
  });
});
