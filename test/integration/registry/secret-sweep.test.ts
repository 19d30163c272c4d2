/**
 * Plants a password, identity token, proxy password and helper secret, lets the token issuer
 * hand out real tokens, and runs every output format and every error path (DEBUG on and off,
 * through a forward proxy with user:password@): none of those values may appear anywhere.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ForwardProxy, startForwardProxy } from '../../helpers/fault-proxy.js';
import { fileModes } from '../../helpers/file-modes.js';
import { noise } from '../../helpers/registry-images.js';
import { freePort } from '../../helpers/registry-server.js';
import { describeWithRegistry, useRegistryFixture } from '../../helpers/registry-suite.js';
import { type CliResult, runCli } from '../../helpers/run-cli.js';

const USER = 'erin';
const PASSWORD = 'Sw33p-registry-Pa55';
const WRONG_PASSWORD = 'Sw33p-wrong-Pa55';
const IDENTITY = 'Sw33p-identity-t0ken';
const WRONG_IDENTITY = 'Sw33p-identity-wr0ng';
const PROXY_USER = 'proxyuser';
const PROXY_PASSWORD = 'Sw33p-proxy-Pa55';
const HELPER_SECRET = 'Sw33p-helper-s3cret';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describeWithRegistry('no credential is ever printed', () => {
  const fixture = useRegistryFixture({
    name: 'sweep',
    account: { user: USER, password: PASSWORD },
    token: { refreshTokens: { [USER]: IDENTITY } },
  });
  let forward: ForwardProxy;
  let proxyWithPassword: string;
  let host: string;
  let work: string;
  let identityConfig: string;
  let wrongIdentityConfig: string;
  let helperConfig: string;

  beforeAll(async () => {
    ({ work } = fixture);
    host = fixture.registry.host;
    // Root and a world-writable directory: findings, so the gate fails and annotates.
    const image = (text: string) => ({ layers: [{ files: { 'srv/app': text, 'tmp/x': text } }] });
    await fixture.pushImage('one', image('one'), 'team/app:1');
    await fixture.pushImage('two', image('two, longer'), 'team/app:2');
    // Two layers over 4 MiB: the main thread reads one, a worker thread downloads the other
    // itself, with debug logs of its own.
    const big = (seed: number) => ({ files: { [`srv/big-${seed}`]: noise(5_000_000, seed) } });
    await fixture.pushImage('three', { layers: [big(3), big(4)] }, 'team/app:3');
    forward = await startForwardProxy();
    proxyWithPassword = forward.url.replace('http://', `http://${PROXY_USER}:${PROXY_PASSWORD}@`);
    identityConfig = join(work, 'dc-identity');
    await mkdir(identityConfig);
    await writeFile(
      join(identityConfig, 'config.json'),
      JSON.stringify({ auths: { [host]: { auth: b64(`${USER}:`), identitytoken: IDENTITY } } }),
    );
    wrongIdentityConfig = join(work, 'dc-wrong-identity');
    await mkdir(wrongIdentityConfig);
    await writeFile(
      join(wrongIdentityConfig, 'config.json'),
      JSON.stringify({ auths: { [host]: { auth: b64(`${USER}:`), identitytoken: WRONG_IDENTITY } } }),
    );
    const bin = join(work, 'bin');
    await mkdir(bin);
    await writeFile(
      join(bin, 'docker-credential-leaky'),
      `#!/bin/sh\necho 'unlock failed: {"Username":"${USER}","Secret":"${HELPER_SECRET}"}' >&2\necho '${HELPER_SECRET}' >&2\nexit 1\n`,
    );
    await chmod(join(bin, 'docker-credential-leaky'), 0o755);
    helperConfig = join(work, 'dc-helper');
    await mkdir(helperConfig);
    await writeFile(join(helperConfig, 'config.json'), JSON.stringify({ credHelpers: { [host]: 'leaky' } }));
  });
  afterAll(async () => {
    await forward?.stop();
  });

  /** Every secret value and encoding of one that could be printed. */
  function planted(): string[] {
    return [
      PASSWORD,
      WRONG_PASSWORD,
      IDENTITY,
      WRONG_IDENTITY,
      PROXY_PASSWORD,
      HELPER_SECRET,
      b64(`${USER}:${PASSWORD}`),
      b64(`${USER}:${WRONG_PASSWORD}`),
      b64(`${PROXY_USER}:${PROXY_PASSWORD}`),
      ...fixture.issuer!.issued,
    ];
  }

  let runs = 0;

  /** Runs the CLI, then looks for every planted secret in its stdout, stderr and report files. */
  async function sweep(
    name: string,
    args: string[],
    env: Record<string, string>,
    options: { stdin?: string; files?: string[] } = {},
  ): Promise<CliResult> {
    runs += 1;
    const result = await runCli(
      args,
      { ...fixture.cliEnv(`cache-${runs}`), ...env },
      { stdin: options.stdin },
    );
    let text = `${result.stdout}\n${result.stderr}`;
    for (const file of options.files ?? []) text += `\n${await readFile(file, 'utf8')}`;
    const leaks = planted().filter((secret) => text.includes(secret));
    expect(leaks.map((secret) => `${name}: ${secret.slice(0, 12)}…`)).toEqual([]);
    return result;
  }

  const login = { stdin: `${PASSWORD}\n` };
  const withPassword = ['--username', USER, '--password-stdin'];
  const proxied = (): Record<string, string> => ({
    HTTP_PROXY: proxyWithPassword,
    HTTPS_PROXY: proxyWithPassword,
  });
  const ref = (): string => `${host}/team/app:1`;

  it('every output format, through a proxy with a password, DEBUG on and off', async () => {
    const runsBefore = runs;
    const table = await sweep(
      'table+DEBUG',
      ['analyze', ref(), ...withPassword],
      { ...proxied(), DEBUG: '*' },
      login,
    );
    expect(table.code).toBe(0);
    // The debug logs ran and showed the requests, masked: the sweep saw what it must check.
    expect(table.stderr).toContain('http-proxy-agent');
    // The proxy agent may log header names in either case.
    expect(table.stderr).toMatch(/'authorization: Basic \[redacted\]/i);
    expect(table.stderr).toContain(`${PROXY_USER}:[redacted]@127.0.0.1`);

    const json = await sweep('json', ['analyze', ref(), '--json', ...withPassword], proxied(), login);
    expect(JSON.parse(json.stdout).image.reference).toContain(host);
    // The cache this run created is private.
    const cache = join(work, `cache-${runs}`, 'imgscope');
    const cacheModes = await fileModes(cache);
    const blobs = Object.keys(cacheModes).filter((path) => path.startsWith('blobs/sha256/'));
    expect(blobs.length).toBeGreaterThanOrEqual(2);
    // The layer results too: one version directory with its content key, one file per layer.
    const layers = Object.keys(cacheModes).filter((path) => path.startsWith('layers/'));
    const versions = layers.filter((path) => !path.slice('layers/'.length).includes('/'));
    const keys = layers.filter((path) => path.endsWith('/content-key'));
    const results = layers.filter((path) => !versions.includes(path) && !keys.includes(path));
    expect([versions.length, keys.length, results.length]).toEqual([1, 1, 1]);
    // And the start's code cache: compiled code of the command for this run's options.
    const code = Object.keys(cacheModes).filter((path) => path.startsWith('code-cache/'));
    expect(code).toEqual([
      expect.stringMatching(/^code-cache\/analyze-[0-9a-f]{8}-v[\d.]+-\w+-[0-9a-f]{8}-\d+-[0-9a-f]{8}\.v8$/),
    ]);
    expect(cacheModes).toEqual({
      '.': '700',
      blobs: '700',
      'blobs/sha256': '700',
      tmp: '700',
      layers: '700',
      'code-cache': '700',
      ...Object.fromEntries(versions.map((path) => [path, '700'])),
      ...Object.fromEntries([...blobs, ...keys, ...results, ...code].map((path) => [path, '600'])),
    });

    const reports = ['gate.xml', 'gate.sarif', 'gate.md', 'summary.md'].map((f) => join(work, f));
    const [junit, sarif, markdown, summary] = reports;
    for (const [format, debug] of [
      ['table', '*'],
      ['json', ''],
    ] as const) {
      const gate = await sweep(
        `ci ${format} DEBUG=${debug}`,
        [
          'analyze',
          ref(),
          '--ci',
          '--format',
          format,
          '--fail-on',
          'info',
          '--junit',
          junit!,
          '--sarif',
          sarif!,
        ].concat(['--markdown', markdown!, ...withPassword]),
        { ...proxied(), DEBUG: debug, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary! },
        { ...login, files: reports },
      );
      expect(gate.code).toBe(1);
      expect(gate.stderr).toMatch(/^::(error|warning)/m);
    }

    for (const format of ['table', 'json', 'markdown']) {
      const diff = await sweep(
        `diff ${format} (identity token)`,
        ['diff', ref(), `${host}/team/app:2`, '--format', format],
        { ...proxied(), DOCKER_CONFIG: identityConfig, DEBUG: format === 'table' ? '*' : '' },
      );
      expect(diff.code).toBe(0);
    }
    expect(fixture.issuer!.requests.some((r) => r.user === `${USER} (refresh token)`)).toBe(true);
    expect(fixture.issuer!.issued.length).toBeGreaterThan(3);
    // Every run above was swept (whatever ran before this test in a shuffled order).
    expect(runs - runsBefore).toBe(7);
  });

  it('masks the debug logs of a layer worker that downloads its own blob through the proxy', async () => {
    const big = await sweep(
      'worker+DEBUG',
      ['analyze', `${host}/team/app:3`, ...withPassword],
      { ...proxied(), DEBUG: '*' },
      login,
    );
    expect(big.code).toBe(0);
    expect(big.stderr).toMatch(/layer \d downloaded by a worker thread/);
    // The worker's own proxy agent logged its connection: masked like the main thread's.
    expect(big.stderr.split(`${PROXY_USER}:[redacted]@127.0.0.1`).length).toBeGreaterThan(2);
  });

  it('every error path, DEBUG on and off', async () => {
    for (const debug of ['*', '']) {
      const notFound = await sweep(
        `registry error DEBUG=${debug}`,
        ['analyze', `${host}/team/absent:1`, ...withPassword],
        { ...proxied(), DEBUG: debug },
        login,
      );
      expect([notFound.code, notFound.stderr]).toEqual([3, expect.stringMatching(/error: .*not found/)]);

      const refused = await sweep(
        `auth error DEBUG=${debug}`,
        ['analyze', ref(), ...withPassword],
        { ...proxied(), DEBUG: debug },
        { stdin: WRONG_PASSWORD },
      );
      expect([refused.code, refused.stderr]).toEqual([
        3,
        expect.stringMatching(/error: authentication failed/),
      ]);

      const refusedIdentity = await sweep(`identity token refused DEBUG=${debug}`, ['analyze', ref()], {
        ...proxied(),
        DOCKER_CONFIG: wrongIdentityConfig,
        DEBUG: debug,
      });
      expect([refusedIdentity.code, refusedIdentity.stderr]).toEqual([
        3,
        expect.stringMatching(/error: authentication failed/),
      ]);

      const helper = await sweep(`helper error DEBUG=${debug}`, ['analyze', ref()], {
        DOCKER_CONFIG: helperConfig,
        PATH: `${join(work, 'bin')}:${process.env.PATH ?? ''}`,
        DEBUG: debug,
      });
      expect(helper.code).toBe(3);
      expect(helper.stderr).toMatch(/docker-credential-leaky failed for .*"Secret":"\[redacted\]"/);

      const deadProxy = `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${await freePort()}`;
      const proxyError = await sweep(
        `proxy error DEBUG=${debug}`,
        ['analyze', ref(), '--timeout', '5', ...withPassword],
        { HTTPS_PROXY: deadProxy, HTTP_PROXY: deadProxy, DEBUG: debug },
        login,
      );
      expect([proxyError.code, proxyError.stderr]).toEqual([3, expect.stringMatching(/error: cannot reach/)]);
    }
  });
});
