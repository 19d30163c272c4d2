/**
 * What receiving a blob over HTTP costs the thread that receives it: the bench image's largest
 * gzip blob (.bench/debian, else the generated image) pushed to a docker-registry on loopback,
 * then, in this one process, downloaded ROUNDS times each way in turn: by `RegistryClient.openBlob`
 * (retries, Range resume, size and sha256 checks: what a layer read starts from) and by a plain
 * `http.get` that hashes the body with sha256 (the floor: the same bytes and the same digest, no
 * stream stage in between). Prints the least and the median CPU time (user + sys) of each: a
 * thread's CPU moves less with the machine's load than wall time does.
 *
 *   node --import tsx bench/blob-receive.ts [ROUNDS]
 *
 * BASELINE=/path/to/other/checkout also times that checkout's client (its sources, through tsx).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RegistryClient } from '../src/registry/index.js';
import { skopeoPush, startRegistry } from '../test/helpers/registry-server.js';
import { makeLargeImage } from './make-large-image.js';

const ROUNDS = Number(process.argv[2] ?? 8);
const BASELINE = process.env['BASELINE'];
const REPOSITORY = 'bench/receive';

const debian = resolve('.bench/debian');
const layout = existsSync(join(debian, 'done'))
  ? join(debian, 'oci-gzip')
  : (await makeLargeImage(resolve('.bench'))).ociLayout;
const blobs = join(layout, 'blobs/sha256');
const largest = readdirSync(blobs)
  .map((hex) => ({ hex, size: statSync(join(blobs, hex)).size }))
  .sort((a, b) => b.size - a.size)[0];
if (largest === undefined) throw new Error(`no blobs in ${layout}`);
const descriptor = {
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: `sha256:${largest.hex}`,
  size: largest.size,
};

type ClientModule = { RegistryClient: new (registry: string) => RegistryClient };

/** Downloads the blob through a checkout's RegistryClient and drains it (the client checks size and digest). */
async function clientReceiver(root: string, host: string): Promise<() => Promise<void>> {
  const module = (await import(pathToFileURL(join(root, 'src/registry/index.ts')).href)) as ClientModule;
  const client = new module.RegistryClient(host);
  // The first request pings the registry and loads the HTTP client: not part of a blob's cost.
  await client.getManifest(REPOSITORY, 'gzip');
  return async () => {
    const stream = await client.openBlob(REPOSITORY, descriptor);
    await new Promise<void>((done, fail) => {
      stream.on('data', () => undefined);
      stream.once('end', done);
      stream.once('error', fail);
    });
  };
}

/** The floor: a plain `http.get` of the blob over a keep-alive connection, hashed with sha256. */
function plainReceiver(host: string): () => Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  const url = `http://${host}/v2/${REPOSITORY}/blobs/${descriptor.digest}`;
  return () =>
    new Promise<void>((done, fail) => {
      http
        .get(url, { agent }, (res) => {
          const hash = createHash('sha256');
          res.on('data', (chunk: Buffer) => hash.update(chunk));
          res.once('end', () => {
            const digest = `sha256:${hash.digest('hex')}`;
            if (digest === descriptor.digest) done();
            else fail(new Error(`got ${digest}`));
          });
        })
        .once('error', fail);
    });
}

const registry = await startRegistry();
try {
  await skopeoPush(`oci:${layout}`, `${registry.host}/${REPOSITORY}:gzip`);
  const sides: { label: string; receive: () => Promise<void> }[] = [
    { label: 'RegistryClient.openBlob, this checkout', receive: await clientReceiver('.', registry.host) },
    ...(BASELINE === undefined
      ? []
      : [
          {
            label: `RegistryClient.openBlob, ${BASELINE}`,
            receive: await clientReceiver(resolve(BASELINE), registry.host),
          },
        ]),
    { label: 'floor: `http.get` + sha256', receive: plainReceiver(registry.host) },
  ];
  const cpu: number[][] = sides.map(() => []);
  const load = loadavg()[0]?.toFixed(1);
  for (const side of sides) await side.receive();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, side] of sides.entries()) {
      const before = process.cpuUsage();
      await side.receive();
      const used = process.cpuUsage(before);
      cpu[i]?.push((used.user + used.system) / 1e6);
    }
  }
  const mb = (descriptor.size / 1e6).toFixed(0);
  console.log(
    `${mb} MB blob of ${layout}, loopback, ${ROUNDS} rounds; load average ${load} at the start, ${loadavg()[0]?.toFixed(1)} at the end`,
  );
  console.log('| receiver | CPU, least | CPU, median |');
  console.log('|---|---|---|');
  for (const [i, side] of sides.entries()) {
    const sorted = [...(cpu[i] ?? [])].sort((a, b) => a - b);
    const at = (k: number): string => `${(sorted[k] ?? NaN).toFixed(3)} s`;
    console.log(`| ${side.label} | ${at(0)} | ${at(Math.floor(sorted.length / 2))} |`);
  }
} finally {
  await registry.stop();
}
// The clients keep their connections alive: nothing else is left to wait for.
process.exit(0);
