/**
 * The real CNCF distribution registry (`docker-registry serve`) on a free loopback port (retried
 * when another process takes it first),
 * storage in a temp dir, stopped by PID; plus skopeo and htpasswd helpers (certificates are in
 * test-certificates.ts).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import https from 'node:https';
import http from 'node:http';
import { missingToolsReason } from './host-features.js';
import { tempDir } from './temp.js';
import type { TestCa } from './test-certificates.js';

const run = promisify(execFile);

let skipReason: string | null | undefined;

/**
 * Why registry tests cannot run here (docker-registry, skopeo, openssl or htpasswd missing), or
 * null when they can; decided once per test file, so a file of several suites warns once. In CI
 * (CI set) the tools are required: this throws instead of skipping.
 */
export function registryTestsSkipReason(): string | null {
  if (skipReason === undefined) {
    skipReason = missingToolsReason('registry tests', ['docker-registry', 'skopeo', 'openssl', 'htpasswd']);
  }
  return skipReason;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A temp dir named imgscope-PREFIX-…, tracked by temp.ts: cleanupTempDirs removes it if its owner has not. */
export async function makeTempDir(prefix: string): Promise<string> {
  return tempDir(`imgscope-${prefix}-`);
}

export async function writeHtpasswd(path: string, user: string, password: string): Promise<void> {
  const { stdout } = await run('htpasswd', ['-Bbn', user, password]);
  await writeFile(path, stdout);
}

export interface RegistryOptions {
  tls?: TestCa;
  htpasswd?: string;
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

export interface RunningRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  dir: string;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * docker-registry cannot report a port it chose itself, so it gets one that was free a moment
 * ago; another process may take it in between, so a start that fails on the address in use is
 * retried on another port.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRegistryOnce(options);
    } catch (error) {
      if (!(error instanceof AddressInUse) || attempt === 5) throw error;
    }
  }
}

class AddressInUse extends Error {}

async function startRegistryOnce(options: RegistryOptions): Promise<RunningRegistry> {
  const dir = await makeTempDir('registry');
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    // info: the registry says "listening on ADDR" once it holds the port.
    '  level: info',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${yamlString(join(dir, 'storage'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${yamlString('test-secret')}`,
  ];
  if (options.tls) {
    lines.push(
      '  tls:',
      `    certificate: ${yamlString(options.tls.serverCert)}`,
      `    key: ${yamlString(options.tls.serverKey)}`,
    );
  }
  if (options.htpasswd) {
    lines.push(
      'auth:',
      '  htpasswd:',
      '    realm: imgscope-test',
      `    path: ${yamlString(options.htpasswd)}`,
    );
  } else if (options.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${yamlString(options.token.realm)}`,
      `    service: ${yamlString(options.token.service)}`,
      `    issuer: ${yamlString(options.token.issuer)}`,
      `    rootcertbundle: ${yamlString(options.token.rootCertBundle)}`,
    );
  }
  const config = join(dir, 'config.yml');
  await writeFile(config, lines.join('\n') + '\n');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const scheme = options.tls ? 'https' : 'http';
  const deadline = Date.now() + 60_000; // a watchdog: the registry starts in well under a second
  for (;;) {
    if (child.exitCode !== null) {
      await rm(dir, { recursive: true, force: true });
      if (/address already in use/i.test(output)) throw new AddressInUse(output);
      throw new Error(`docker-registry exited: ${output}`);
    }
    // Only ask once this registry holds the port: another process may have it.
    const ok =
      output.includes(`listening on 127.0.0.1:${port}`) &&
      (await new Promise<boolean>((resolve) => {
        const lib = scheme === 'https' ? https : http;
        const req = lib.get(
          `${scheme}://127.0.0.1:${port}/v2/`,
          { rejectUnauthorized: false, timeout: 1000 },
          (res) => {
            res.resume();
            resolve(true);
          },
        );
        req.on('error', () => resolve(false));
      }));
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    dir,
    process: child,
    log: () => output,
    stop: async () => {
      const running = (): boolean => child.exitCode === null && child.signalCode === null;
      if (running() && child.pid !== undefined) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (running()) process.kill(child.pid, 'SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface SkopeoAuth {
  user?: string;
  password?: string;
  /** Registry uses TLS with this CA dir (containing ca.crt). */
  certDir?: string;
}

/** skopeo copy SRC docker://DEST; plain HTTP unless certDir is given. */
export async function skopeoPush(
  src: string,
  dest: string,
  extra: string[] = [],
  auth: SkopeoAuth = {},
): Promise<void> {
  const args = ['copy', '--quiet', '--insecure-policy'];
  if (auth.certDir) args.push('--dest-cert-dir', auth.certDir);
  else args.push('--dest-tls-verify=false');
  if (auth.user !== undefined) args.push('--dest-creds', `${auth.user}:${auth.password ?? ''}`);
  args.push(...extra, src, `docker://${dest}`);
  try {
    await run('skopeo', args, { env: { ...process.env, HOME: process.env.HOME ?? tmpdir() } });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`skopeo ${args.join(' ')} failed: ${e.stderr ?? e.message}`, { cause: error });
  }
}
