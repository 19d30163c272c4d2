import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { FLEET_REPOSITORIES, FLEET_TAGS, type FleetImage, pushFleet } from '../../helpers/fleet-images.js';
import { describeWithRegistry, useFaultProxy, useRegistryFixture } from '../../helpers/registry-suite.js';
import { expectOneLineError, runCli, startCli } from '../../helpers/run-cli.js';
import { waitFor } from '../../helpers/watchdog.js';

/** "audited 20 images (20 analyzed, 0 already done, 0 failed); 22 layer reads for 60 layers" */
function stats(stderr: string): {
  analyzed: number;
  done: number;
  failed: number;
  reads: number;
  layers: number;
} {
  const m =
    /audited \d+ images \((\d+) analyzed, (\d+) already done, (\d+) failed\); (\d+) layer reads for (\d+) layers/.exec(
      stderr,
    );
  if (m === null) throw new Error(`no stats line in: ${stderr}`);
  const [analyzed, done, failed, reads, layers] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { analyzed, done, failed, reads, layers };
}

async function resultLines(
  dir: string,
  name = 'results.jsonl',
): Promise<{ reference: string; status: string }[]> {
  const text = await readFile(join(dir, name), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as { reference: string; status: string });
}

describeWithRegistry('imgscope audit against docker-registry', () => {
  const fixture = useRegistryFixture({ name: 'audit' });
  const proxy = useFaultProxy(fixture);
  let fleet: FleetImage[];
  let work: string;
  let listFile: string;

  beforeAll(async () => {
    fleet = await pushFleet(fixture);
    work = fixture.work;
    listFile = join(work, 'images.txt');
    await writeFile(listFile, ['# the fleet', ...fleet.map((image) => image.reference), ''].join('\n'));
  }, 300_000);

  /** The environment of a run; `cache` names its cache folder (tests that count reads use their own). */
  const env = (cache = 'cache'): Record<string, string> => fixture.cliEnv(cache);

  it('audits 20 images sharing a two-layer base in one run, reading each shared layer once', async () => {
    const out = join(work, 'one-run');
    // A cache of its own: whatever ran before (in any order) has stored no layer results here.
    const result = await runCli(
      ['audit', '-f', listFile, '--out', out, '--format', 'json'],
      env('cache-one-run'),
    );
    expect(result.code).toBe(0);
    // 2 base layers read once, and each image's own layer: 22 reads for the 60 layers held.
    expect(stats(result.stderr)).toEqual({ analyzed: 20, done: 0, failed: 0, reads: 22, layers: 60 });
    const summary = JSON.parse(result.stdout);
    expect(summary.images).toEqual({ total: 20, ok: 20, failed: 0 });
    expect(summary.sharedLayers.map((l: { images: number }) => l.images)).toEqual([20, 20]);
    expect(summary.sharedLayers.map((l: { diffId: string }) => l.diffId).sort()).toEqual(
      fleet[0]!.written.layers
        .slice(0, 2)
        .map((l) => l.diffId)
        .sort(),
    );
    // Users: '' (root) for n % 3 == 0, 'app' (non-numeric) for n % 3 == 1.
    expect(summary.rootUser).toHaveLength(7);
    expect(summary.nonNumericUser).toHaveLength(7);
    expect(summary.nonNumericUser[0].user).toBe('app');
    expect(summary.secrets).toEqual([{ reference: fleet[7]!.reference, paths: ['/root/.aws/credentials'] }]);
    // Every fourth image (0, 4, ... 16) writes the base's 100,000-byte tool again: the lower copy
    // is what squashing wins; ties are ranked by reference.
    expect(summary.topReclaimable).toEqual(
      [0, 4, 8, 12, 16]
        .map((n) => ({
          reference: fleet[n]!.reference,
          digest: fleet[n]!.written.manifestDigest,
          bytes: 100_000,
        }))
        .sort((a, b) => (a.reference < b.reference ? -1 : 1)),
    );
    expect((await resultLines(out)).length).toBe(20);

    const again = await runCli(
      ['audit', '-f', listFile, '--out', out, '--format', 'json'],
      env('cache-one-run'),
    );
    expect(again.code).toBe(0);
    expect(stats(again.stderr)).toEqual({ analyzed: 0, done: 20, failed: 0, reads: 0, layers: 0 });
    expect(again.stdout).toBe(result.stdout);
    expect((await resultLines(out)).length).toBe(20);

    // A new audit (nothing done in its results folder) analyzes every image again but reads no
    // layer: the layer-result cache of the first run answers for all 60.
    const fresh = await runCli(
      ['audit', '-f', listFile, '--out', join(work, 'one-run-again'), '--format', 'json'],
      env('cache-one-run'),
    );
    expect(fresh.code).toBe(0);
    expect(stats(fresh.stderr)).toEqual({ analyzed: 20, done: 0, failed: 0, reads: 0, layers: 60 });
    expect(fresh.stdout).toBe(result.stdout);
  });

  it('resumes an audit killed midway without redoing the images it finished', async () => {
    const out = join(work, 'killed');
    // Slow every image's own layer so the kill lands in the middle of the list.
    const own = new Set(fleet.map((image) => image.written.layers[2]!.digest));
    proxy.fault = (req) =>
      [...own].some((d) => req.path.endsWith(d)) ? { bytesPerSecond: 100_000 } : undefined;
    const list = join(work, 'via-proxy.txt');
    const viaProxy = fleet.map((image) => image.reference.replace(fixture.registry.host, proxy.host));
    await writeFile(list, viaProxy.join('\n') + '\n');
    const first = await startCli(['audit', '-f', list, '--out', out, '--parallel', '1'], env());
    await waitFor(async () => (await resultLines(out)).length >= 4, 'four results written');
    first.child.kill('SIGKILL');
    await first.result;
    const before = await resultLines(out);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(before.length).toBeLessThan(20);
    proxy.fault = () => undefined;
    const rest = await runCli(['audit', '-f', list, '--out', out, '--format', 'json'], env());
    expect(rest.code).toBe(0);
    expect(stats(rest.stderr)).toMatchObject({
      analyzed: 20 - before.length,
      done: before.length,
      failed: 0,
    });
    const after = await resultLines(out);
    expect(after.map((r) => r.reference).sort()).toEqual([...viaProxy].sort());
  });

  it('gives byte-identical summary JSON from 4 shards run as separate processes and merged', async () => {
    const out = join(work, 'sharded');
    const unsharded = await runCli(
      ['audit', '-f', listFile, '--out', join(work, 'unsharded'), '--json'],
      env(),
    );
    expect(unsharded.code).toBe(0);
    const shards = await Promise.all(
      [0, 1, 2, 3].map((index) =>
        runCli(['audit', '-f', listFile, '--out', out, '--shard', `${index}/4`, '--format', 'json'], env()),
      ),
    );
    for (const shard of shards) expect(shard.code).toBe(0);
    const analyzed = shards.map((shard) => stats(shard.stderr).analyzed);
    expect(analyzed.reduce((a, b) => a + b, 0)).toBe(20);
    // A repository's four tags stay in one shard.
    expect(analyzed.every((n) => n % 4 === 0)).toBe(true);
    const merged = await runCli(
      ['audit', 'merge', out, '--format', 'json', '--summary', join(work, 's.json')],
      env(),
    );
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(unsharded.stdout);
    expect(await readFile(join(work, 's.json'), 'utf8')).toBe(unsharded.stdout);
  });

  it('gates every image with --ci and lists the images that failed, exit 1', async () => {
    const result = await runCli(
      [
        'audit',
        '-f',
        listFile,
        '--out',
        join(work, 'gated'),
        '--json',
        '--ci',
        '--highestWastedBytes',
        '150KB',
      ],
      env(),
    );
    expect(result.code).toBe(1);
    const failed = JSON.parse(result.stdout).gate.failed;
    // The five images that write the base's tool again waste about 200 kB (and fail dive's default
    // efficiency rules with it); image 7 holds a secret, an error finding.
    expect(failed).toEqual(
      [0, 4, 7, 8, 12, 16]
        .map((n) => ({
          reference: fleet[n]!.reference,
          rules:
            n === 7
              ? ['failOn', 'secrets-in-image']
              : ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'],
        }))
        .sort((a, b) => (a.reference < b.reference ? -1 : 1)),
    );
  });

  it('selects tags by a semver range, a variant, and a regex', async () => {
    const repo = `${fixture.registry.host}/${FLEET_REPOSITORIES[0]}`;
    const out = join(work, 'tags');
    const range = await runCli(
      ['audit', repo, '--tags', '>=1.20 <2', '--out', out, '--format', 'json'],
      env(),
    );
    expect(range.code).toBe(0);
    expect((await resultLines(out)).map((r) => r.reference)).toEqual([`${repo}:1.20.1`]);
    const variant = await runCli(
      [
        'audit',
        repo,
        '--tags',
        '>=1.20 <2',
        '--variant',
        'alpine',
        '--tags-regex',
        '^latest$',
        '--out',
        join(work, 'variant'),
      ],
      env(),
    );
    expect(variant.code).toBe(0);
    expect((await resultLines(join(work, 'variant'))).map((r) => r.reference).sort()).toEqual([
      `${repo}:1.25-alpine`,
      `${repo}:latest`,
    ]);
  });

  it("reuses one registry client per repository: its images' pings and connections are made once", async () => {
    const list = join(work, 'two-repos.txt');
    const references = FLEET_REPOSITORIES.slice(0, 2).flatMap((repository) =>
      FLEET_TAGS.map((tag) => `${proxy.host}/${repository}:${tag}`),
    );
    await writeFile(list, references.join('\n'));
    const result = await runCli(
      ['audit', '-f', list, '--out', join(work, 'pooled'), '--parallel', '2'],
      env('cache-pooled'),
    );
    expect(result.code).toBe(0);
    expect(stats(result.stderr)).toMatchObject({ analyzed: 8, failed: 0 });
    // The version check (GET /v2/) starts each client: one per repository, not one per image.
    expect(proxy.requests.filter((request) => request.path === '/v2/')).toHaveLength(2);
    // Every image's manifest still asked for by its own tag.
    expect(proxy.requests.filter((request) => request.path.includes('/manifests/'))).toHaveLength(8);
  });

  it('lists the repositories of a catalog at once: one that never answers holds up none of the others', async () => {
    const tagListings = (): string[] =>
      proxy.requests.filter((r) => r.path.endsWith('/tags/list')).map((r) => r.path);
    // The first repository in sorted order keeps its listing unanswered.
    proxy.fault = (req) => (req.path === '/v2/fleet/api/tags/list' ? { silence: true } : undefined);
    const run = await startCli(
      ['audit', '--catalog', proxy.host, '--tags-regex', '^latest$', '--out', join(work, 'listings')],
      env(),
    );
    try {
      await waitFor(
        () => Promise.resolve(tagListings().length >= 5),
        'all five repositories asked for their tags',
      );
      expect(new Set(tagListings())).toEqual(
        new Set(FLEET_REPOSITORIES.map((repository) => `/v2/${repository}/tags/list`)),
      );
    } finally {
      run.child.kill('SIGKILL');
      await run.result;
    }
  });

  it('reads a 100,000-tag list and audits the few tags selected', async () => {
    const repo = FLEET_REPOSITORIES[1]!;
    const tags = [
      ...Array.from({ length: 99_996 }, (_, i) => `build-${i}`),
      '1.19',
      '1.20.1',
      '1.25-alpine',
      'latest',
    ];
    proxy.fault = (req) =>
      req.path.startsWith(`/v2/${repo}/tags/list`)
        ? { status: 200, body: JSON.stringify({ name: repo, tags }) }
        : undefined;
    const out = join(work, 'many-tags');
    const result = await runCli(['audit', `${proxy.host}/${repo}`, '--tags', '>=1.19', '--out', out], env());
    expect(result.code).toBe(0);
    expect((await resultLines(out)).map((r) => r.reference).sort()).toEqual([
      `${proxy.host}/${repo}:1.19`,
      `${proxy.host}/${repo}:1.20.1`,
    ]);
  });

  it('stops a catalog that paginates forever at 1000 pages, exit 3', async () => {
    let page = 0;
    proxy.fault = (req) =>
      req.path.startsWith('/v2/_catalog')
        ? {
            status: 200,
            headers: { Link: `</v2/_catalog?last=r${++page}&n=1>; rel="next"` },
            body: JSON.stringify({ repositories: [`r${page}`] }),
          }
        : undefined;
    const result = await runCli(['audit', '--catalog', proxy.host, '--out', join(work, 'endless')], env());
    expect(result.code).toBe(3);
    expect(expectOneLineError(result)).toBe(
      `imgscope: error: the catalog of ${proxy.host}: more than 1000 pages; stopped (the registry keeps paginating; list the images in a file instead (-f))`,
    );
    expect(page).toBe(1000);
  });

  it('stops a catalog whose Link repeats a page, exit 3', async () => {
    proxy.fault = (req) =>
      req.path.startsWith('/v2/_catalog')
        ? {
            status: 200,
            headers: { Link: '</v2/_catalog?last=a&n=1>; rel="next"' },
            body: '{"repositories":["a"]}',
          }
        : undefined;
    const result = await runCli(['audit', '--catalog', proxy.host, '--out', join(work, 'loop')], env());
    expect(result.code).toBe(3);
    expect(expectOneLineError(result)).toBe(
      `imgscope: error: the catalog of ${proxy.host}: the registry links back to a page it already gave (/v2/_catalog?last=a&n=1) (the registry paginates in a loop; its listing cannot be trusted)`,
    );
  });

  it('audits a whole registry by its catalog', async () => {
    const out = join(work, 'catalog');
    const result = await runCli(
      ['audit', '--catalog', fixture.registry.host, '--out', out, '--format', 'json'],
      env(),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).images).toEqual({ total: 20, ok: 20, failed: 0 });
  });

  it('reports a repository the credentials cannot read for its images and goes on, exit 3', async () => {
    const denied = FLEET_REPOSITORIES[2]!;
    proxy.fault = (req) =>
      req.path.startsWith(`/v2/${denied}/`)
        ? {
            status: 403,
            body: JSON.stringify({
              errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }],
            }),
          }
        : undefined;
    const images = [`${proxy.host}/${denied}:1.19`, `${proxy.host}/${FLEET_REPOSITORIES[3]}:1.19`];
    const out = join(work, 'denied');
    const result = await runCli(['audit', ...images, '--out', out, '--format', 'json'], env());
    expect(result.code).toBe(3);
    const summary = JSON.parse(result.stdout);
    expect(summary.images).toEqual({ total: 2, ok: 1, failed: 1 });
    expect(summary.failures).toEqual([
      {
        reference: images[0],
        code: 'AUTH',
        exitCode: 3,
        message: `access to ${denied} on ${proxy.host} denied: DENIED: requested access to the resource is denied (check that the account may pull this repository)`,
      },
    ]);
  });
});
