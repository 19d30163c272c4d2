/**
 * Benchmark: `imgscope analyze` on a large generated image (>= 250 MB of layer data, 20k+ files,
 * overwrites and whiteouts), as an uncompressed docker-archive and as a gzip OCI layout, beside
 * the raw baseline of just reading the same layers (`tar -t` of each layer, `gzip -dc` of each
 * blob). Prints MB/s, wall time and peak RSS. Run: npm run bench [-- WORKDIR]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeLargeImage } from './make-large-image.js';

interface Measurement {
  seconds: number;
  peakRssMb: number;
}

/** Runs a shell command under GNU time; returns wall seconds and peak RSS of the command. */
function measure(command: string): Measurement {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', `( ${command} ) > /dev/null`], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  return { seconds: seconds ?? NaN, peakRssMb: (kb ?? NaN) / 1024 };
}

function best(command: string, runs = 3): Measurement {
  const all = Array.from({ length: runs }, () => measure(command));
  return all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

function report(label: string, layerBytes: number, m: Measurement, baseline: Measurement): void {
  const mbps = layerBytes / 1e6 / m.seconds;
  console.log(
    `${label.padEnd(28)} ${m.seconds.toFixed(2).padStart(6)} s  ${mbps.toFixed(0).padStart(5)} MB/s  ` +
      `peak RSS ${m.peakRssMb.toFixed(0).padStart(4)} MB  ${(m.seconds / baseline.seconds).toFixed(2)}x baseline`,
  );
}

const workdir = resolve(process.argv[2] ?? '.bench');
const cli = resolve('bin/run.js');
const image = await makeLargeImage(workdir);
const archive = image.dockerArchive;
const layout = image.ociLayout;
console.log(
  `image: ${image.layers} layers, ${image.files} files${image.reused ? ' (reused)' : ` (generated in ${image.seconds.toFixed(0)} s)`}`,
);

// Baselines: read every layer of the same images with the standard tools.
const manifest = JSON.parse(
  execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }),
) as {
  Layers: string[];
}[];
const members = manifest[0]?.Layers ?? [];
const tarBaseline = members.map((m) => `tar -xOf ${archive} ${m} | tar -tf -`).join(' && ');
const blobs = readdirSync(join(layout, 'blobs/sha256'))
  .map((name) => join(layout, 'blobs/sha256', name))
  .filter((path) => statSync(path).size > 1 << 20);
const gzipBaseline = blobs.map((blob) => `gzip -dc ${blob}`).join(' && ');

const archiveBytes = image.layerBytes;
const blobBytes = image.gzipBytes;
console.log(
  `docker-archive: ${(archiveBytes / 1e6).toFixed(0)} MB of layers; OCI gzip: ${(blobBytes / 1e6).toFixed(0)} MB of blobs`,
);

const tarBase = best(tarBaseline);
report('baseline: tar -t per layer', archiveBytes, tarBase, tarBase);
report('imgscope analyze (archive)', archiveBytes, best(`node ${cli} analyze ${archive} --json`), tarBase);
const gzipBase = best(gzipBaseline);
report('baseline: gzip -dc per blob', archiveBytes, gzipBase, gzipBase);
report(
  'imgscope analyze (OCI gzip)',
  archiveBytes,
  best(`node ${cli} analyze oci:${layout} --json`),
  gzipBase,
);
