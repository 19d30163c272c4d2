/**
 * A docker-registry for one test file, with everything it needs in one temp dir: optionally TLS
 * (a fresh test CA) and auth for one account (htpasswd Basic auth, or the test token issuer),
 * pushes of test OCI layouts into it with skopeo, and the environment of CLI runs against it.
 * stop() ends all of it and removes the dir. Test suites start one with useRegistryFixture
 * (registry-suite.ts).
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type TestImage, type WrittenImage, writeTestLayout } from './registry-images.js';
import {
  type RunningRegistry,
  type SkopeoAuth,
  makeTempDir,
  skopeoPush,
  startRegistry,
  writeHtpasswd,
} from './registry-server.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { type TestCa, makeTestCa } from './test-certificates.js';
import { type TokenIssuer, startTokenIssuer } from './token-issuer.js';

export interface RegistryAccount {
  user: string;
  password: string;
}

export interface RegistryFixtureOptions {
  /** Names the temp dir (imgscope-NAME-…). */
  name: string;
  /** Serve HTTPS with a certificate from a fresh test CA (`ca`); pushes trust it. */
  tls?: boolean;
  /** The one account the registry accepts and pushes use; Basic auth (htpasswd) unless `token`. */
  account?: RegistryAccount;
  /** Token auth: the test token issuer knows `account` and signs the registry's tokens. */
  token?: {
    anonymousPull?: boolean;
    refreshTokens?: Record<string, string>;
    /** Put a fault proxy in front of the token issuer and name it as the registry's realm. */
    proxied?: boolean;
  };
}

export interface RegistryFixture {
  registry: RunningRegistry;
  /** The temp dir: OCI layouts, CA files, htpasswd; free for the tests' own files. */
  work: string;
  /** With `tls`: the CA that signed the registry's certificate. */
  ca: TestCa | undefined;
  /** With `token`: the token issuer, with the requests it answered. */
  issuer: TokenIssuer | undefined;
  /** With `token.proxied`: the fault proxy between clients and the token issuer. */
  issuerProxy: FaultProxy | undefined;
  /** Writes `image` as the OCI layout work/LAYOUT and pushes it to REGISTRY/REPO_TAG. */
  pushImage: (
    layout: string,
    image: TestImage,
    repoTag: string,
    skopeoArgs?: string[],
  ) => Promise<WrittenImage>;
  /** Pushes the OCI layout work/LAYOUT (its tag `latest`) to REGISTRY/REPO_TAG. */
  pushLayout: (layout: string, repoTag: string, skopeoArgs?: string[]) => Promise<void>;
  /**
   * What a CLI run against this registry adds to its hermetic environment (run-cli.ts): HOME is
   * `work`, where tests write config.json, auth files and helpers; the cache is in `cacheHome`
   * (a path, or a folder of `work`), else in the run's own fresh home.
   */
  cliEnv: (cacheHome?: string) => Record<string, string>;
  stop: () => Promise<void>;
}

export async function startRegistryFixture(options: RegistryFixtureOptions): Promise<RegistryFixture> {
  const work = await makeTempDir(options.name);
  let registry: RunningRegistry | undefined;
  let issuer: TokenIssuer | undefined;
  let issuerProxy: FaultProxy | undefined;
  const stop = async (): Promise<void> => {
    await registry?.stop();
    await issuerProxy?.stop();
    await issuer?.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const { account } = options;
    const ca = options.tls === true ? await makeTestCa(work) : undefined;
    const pushAuth: SkopeoAuth = account ? { user: account.user, password: account.password } : {};
    if (ca) {
      pushAuth.certDir = join(work, 'certs');
      await mkdir(pushAuth.certDir);
      await copyFile(ca.caCert, join(pushAuth.certDir, 'ca.crt'));
    }
    if (options.token) {
      const users = account ? { [account.user]: account.password } : {};
      issuer = await startTokenIssuer(work, users, options.token);
      const { service, issuer: name, rootCertBundle } = issuer;
      let { realm } = issuer;
      if (options.token.proxied === true) {
        const issuerUrl = new URL(realm);
        issuerProxy = await startFaultProxy(issuerUrl.host);
        realm = `http://${issuerProxy.host}${issuerUrl.pathname}`;
      }
      registry = await startRegistry({ tls: ca, token: { realm, service, issuer: name, rootCertBundle } });
    } else if (account) {
      const htpasswd = join(work, 'htpasswd');
      await writeHtpasswd(htpasswd, account.user, account.password);
      registry = await startRegistry({ tls: ca, htpasswd });
    } else {
      registry = await startRegistry({ tls: ca });
    }
    const host = registry.host;
    const pushLayout = (layout: string, repoTag: string, skopeoArgs: string[] = []): Promise<void> =>
      skopeoPush(`oci:${join(work, layout)}:latest`, `${host}/${repoTag}`, skopeoArgs, pushAuth);
    return {
      registry,
      work,
      ca,
      issuer,
      issuerProxy,
      pushImage: async (layout, image, repoTag, skopeoArgs) => {
        const written = await writeTestLayout(join(work, layout), image);
        await pushLayout(layout, repoTag, skopeoArgs);
        return written;
      },
      pushLayout,
      cliEnv: (cacheHome): Record<string, string> =>
        cacheHome === undefined ? { HOME: work } : { HOME: work, XDG_CACHE_HOME: resolve(work, cacheHome) },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
