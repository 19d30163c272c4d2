// A mutation fuzzer for local image inputs, run in-process against the analyze service. Three
// kinds of input per iteration:
// - an image archive mutated as bytes (flips, interesting bytes, tar header fields rewritten
//   with a valid checksum, cuts, splices): exercises the archive indexer and digest checks;
// - layer tars mutated the same way, then sealed into a fresh docker-archive with correct
//   diff_ids (optionally gzip/zstd): the tar parser and the analysis see the mutated bytes;
// - config, manifest.json or OCI manifest/index documents mutated as JSON, re-sealed.
// Anything thrown that is not an ImgscopeError would be exit 70 (a bug): a finding, saved with
// its input. So is an input that does not finish in time, and any unhandled rejection.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFailure } from '../../src/cli/failure.js';
import { EXIT_CODES } from '../../src/errors.js';
import { analyzeImage } from '../../src/services/index.js';
import { writeDockerArchive, writeOciArchive, writeOciLayout, type ImageSpec } from './image-builder.js';
import { editOciLayout } from './oci-surgery.js';
import { DIVE_FIXTURES, FIXTURES } from './run-cli.js';
import { gnuLong, paxHeader, rawTar, tarEntry, writeRawDockerArchive, type RawLayer } from './raw-tar.js';

/** The images mutated: dive's test images (and its non-image tar) and the bundled example. */
export function fuzzSeedFiles(): string[] {
  return [
    'test-docker-image.tar',
    'test-kaniko-image.tar',
    'test-oci-uncompressed-image.tar',
    'test-oci-gzip-image.tar',
    'test-oci-estargz-image.tar',
    'test-oci-zstd-image.tar',
    'not-an-image.tar',
  ]
    .map((name) => `${DIVE_FIXTURES}${name}`)
    .concat(`${FIXTURES}example.tar`);
}

export interface FuzzOptions {
  /** Stop after this many inputs (default: no limit). */
  iterations?: number;
  /** Stop after this many seconds (default: no limit). */
  seconds?: number;
  /** PRNG seed: the same seed gives the same inputs. */
  seed: number;
  /** Per-input time limit. */
  timeoutMs: number;
  /** Scratch space; findings are kept under WORKDIR/findings. */
  workDir: string;
  /** Paths of dive's fixtures and the project's example images, used as seeds. */
  seedFiles: string[];
}

export interface FuzzFinding {
  kind: 'bug' | 'hang' | 'unhandled';
  iteration: number;
  mutation: string;
  message: string;
  /** Where the input was kept. */
  input: string;
}

export interface FuzzReport {
  iterations: number;
  seconds: number;
  analyzed: number;
  refused: number;
  /** Refusals by message shape (paths, digests and numbers replaced). */
  refusals: Map<string, number>;
  findings: FuzzFinding[];
}

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(readonly next: () => number) {}
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x20, 0x30, 0x37, 0x38, 0x2f, 0x2e, 0x0a];
const TYPEFLAGS = '0125674xgLKSV\0';

/** Rewrites one field of a tar header block and fixes its checksum, so parsers act on the lie. */
function rewriteHeader(bytes: Buffer, rng: Random): string {
  const blocks = Math.floor(bytes.length / 512);
  if (blocks === 0) return 'header(none)';
  const start = rng.int(blocks) * 512;
  const field = rng.pick(['size', 'type', 'name', 'linkname', 'mode', 'prefix'] as const);
  const octal = (width: number): string => {
    const digits = rng.pick([1, 3, 6, 11]);
    let text = '';
    for (let i = 0; i < Math.min(digits, width - 1); i++) text += String(rng.int(8));
    return rng.chance(0.2) ? '77777777777' : text;
  };
  switch (field) {
    case 'size':
      bytes.write(`${octal(12).padStart(11, '0')}\0`, start + 124, 'latin1');
      break;
    case 'type':
      bytes[start + 156] = TYPEFLAGS.charCodeAt(rng.int(TYPEFLAGS.length));
      break;
    case 'name':
      bytes.write(rng.pick(['../../x', '/abs', 'a/.wh.b', '.wh..wh..opq', 'x/../..', '']), start, 'latin1');
      break;
    case 'linkname':
      bytes.write(rng.pick(['../../etc', '/', 'a', '', 'self']), start + 157, 'latin1');
      break;
    case 'mode':
      bytes.write(`${octal(8).padStart(7, '0')}\0`, start + 100, 'latin1');
      break;
    case 'prefix':
      bytes.write(rng.pick(['..', '/', 'deep/er']), start + 345, 'latin1');
      break;
  }
  bytes.fill(0x20, start + 148, start + 156);
  let sum = 0;
  for (let i = start; i < start + 512; i++) sum += bytes[i] ?? 0;
  bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, start + 148, 'latin1');
  return `header(${field}@${start})`;
}

/** One to three byte-level mutations; returns what was done. */
function mutateBytes(input: Buffer, rng: Random, donors: Buffer[]): { bytes: Buffer; what: string } {
  let bytes = Buffer.from(input);
  const done: string[] = [];
  for (let n = 1 + rng.int(3); n > 0; n--) {
    if (bytes.length === 0) break;
    const at = rng.chance(0.5)
      ? rng.int(Math.ceil(bytes.length / 512)) * 512 + rng.int(300)
      : rng.int(bytes.length);
    const offset = Math.min(at, bytes.length - 1);
    switch (rng.int(7)) {
      case 0:
        bytes[offset] = (bytes[offset] ?? 0) ^ (1 << rng.int(8));
        done.push(`flip@${offset}`);
        break;
      case 1:
        bytes[offset] = rng.pick(INTERESTING);
        done.push(`byte@${offset}`);
        break;
      case 2:
        done.push(rewriteHeader(bytes, rng));
        break;
      case 3:
        bytes = bytes.subarray(0, offset);
        done.push(`cut@${offset}`);
        break;
      case 4: {
        const donor = rng.pick(donors);
        const from = rng.int(donor.length);
        const chunk = donor.subarray(from, from + 1 + rng.int(1024));
        bytes = Buffer.concat([bytes.subarray(0, offset), chunk, bytes.subarray(offset)]);
        done.push(`splice+${chunk.length}@${offset}`);
        break;
      }
      case 5: {
        const length = 1 + rng.int(1024);
        bytes = Buffer.concat([bytes.subarray(0, offset), bytes.subarray(offset + length)]);
        done.push(`delete-${length}@${offset}`);
        break;
      }
      case 6: {
        const length = 512 * (1 + rng.int(4));
        const copy = bytes.subarray(offset, offset + length);
        bytes = Buffer.concat([bytes.subarray(0, offset), copy, bytes.subarray(offset)]);
        done.push(`dup+${copy.length}@${offset}`);
        break;
      }
    }
  }
  return { bytes, what: done.join(',') };
}

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e300,
  2 ** 53 + 1,
  '',
  'x',
  'sha256:' + 'a'.repeat(64),
  'sha512:00',
  [],
  {},
  true,
  [null],
  { a: 1 },
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v1+json',
];

/** Replaces, deletes or retypes one value somewhere in a JSON document. */
function mutateJson(value: unknown, rng: Random): { value: unknown; what: string } {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number; path: string }[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        slots.push({ parent: node, key: i, path: `${path}[${i}]` });
        walk(child, `${path}[${i}]`);
      });
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        slots.push({ parent: node as Record<string, unknown>, key, path: `${path}.${key}` });
        walk(child, `${path}.${key}`);
      }
    }
  };
  const copy: unknown = structuredClone(value);
  walk(copy, '$');
  if (slots.length === 0) return { value: rng.pick(ODD_VALUES), what: 'json($=odd)' };
  const slot = rng.pick(slots);
  if (rng.chance(0.3)) {
    if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
    else delete slot.parent[slot.key as string];
    return { value: copy, what: `json(delete ${slot.path})` };
  }
  const odd = rng.pick(ODD_VALUES);
  if (Array.isArray(slot.parent)) slot.parent[Number(slot.key)] = odd;
  else slot.parent[slot.key as string] = odd;
  return { value: copy, what: `json(${slot.path}=${JSON.stringify(odd)?.slice(0, 20)})` };
}

interface Seeds {
  files: Buffer[];
  layers: Buffer[];
  ociLayout: string;
}

/** A crafted layer with every entry kind the parser knows. */
function craftedLayer(): Buffer {
  return rawTar([
    tarEntry({ name: 'etc/', type: '5', mode: 0o755 }),
    tarEntry({ name: 'etc/passwd' }, Buffer.from('root:x:0:0::/root:/bin/sh\n')),
    tarEntry({ name: 'etc/link', type: '2', linkname: 'passwd' }),
    tarEntry({ name: 'etc/hard', type: '1', linkname: 'etc/passwd' }),
    tarEntry({ name: 'etc/.wh.gone' }),
    tarEntry({ name: 'var/.wh..wh..opq' }),
    paxHeader({ path: `${'p'.repeat(150)}/file`, uid: '1000' }),
    tarEntry({ name: 'placeholder' }, Buffer.alloc(700, 'z')),
    gnuLong(`${'g'.repeat(120)}/name`),
    tarEntry({ name: 'placeholder' }, Buffer.alloc(10, 'g')),
  ]);
}

const SEED_SPEC: ImageSpec = {
  layers: [
    {
      compression: 'gzip',
      entries: [
        { type: 'dir', path: '/app' },
        { type: 'file', path: '/app/a', size: 2000 },
        { type: 'symlink', path: '/app/l', target: 'a' },
      ],
    },
    {
      compression: 'zstd',
      entries: [
        { type: 'whiteout', path: '/app/a' },
        { type: 'file', path: '/app/b', size: 300 },
        { type: 'hardlink', path: '/app/c', target: '/app/b' },
      ],
    },
  ],
};

async function prepareSeeds(options: FuzzOptions): Promise<Seeds> {
  const dir = join(options.workDir, 'seeds');
  await mkdir(dir, { recursive: true });
  const generated = [
    await writeDockerArchive(SEED_SPEC, join(dir, 'legacy.tar')).then(() => join(dir, 'legacy.tar')),
    await writeDockerArchive(SEED_SPEC, join(dir, 'docker25.tar'), { layout: 'docker25' }).then(() =>
      join(dir, 'docker25.tar'),
    ),
    await writeOciArchive(SEED_SPEC, join(dir, 'oci.tar')).then(() => join(dir, 'oci.tar')),
  ];
  const ociLayout = join(dir, 'layout');
  await writeOciLayout(SEED_SPEC, ociLayout);
  const files = await Promise.all([...options.seedFiles, ...generated].map((file) => readFile(file)));
  // Small real layers: the upper layers of dive's docker image.
  const layers = [craftedLayer()];
  const dockerImage = options.seedFiles.find((file) => file.endsWith('test-docker-image.tar'));
  if (dockerImage !== undefined) {
    const listing = execFileSync('tar', ['-tvf', dockerImage], { encoding: 'utf8' });
    for (const line of listing.split('\n')) {
      const match = /\s(\d+) \S+ \S+ (\S+\/layer\.tar)$/.exec(line);
      if (match && Number(match[1]) < 20_000) {
        layers.push(execFileSync('tar', ['-xOf', dockerImage, match[2] ?? ''], { maxBuffer: 1 << 24 }));
      }
    }
  }
  return { files, layers, ociLayout };
}

/** Message shape for the refusal histogram. */
function shape(message: string): string {
  return message
    .replace(/\/tmp\/\S+?(?=[:\s"]|$)/g, 'PATH')
    .replace(/[0-9a-f]{64}/g, 'HEX')
    .replace(/\d+/g, 'N')
    .slice(0, 90);
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds one mutated input; returns the reference to analyze and what was done. */
async function makeInput(
  seeds: Seeds,
  rng: Random,
  where: string,
): Promise<{ reference: string; mutation: string; keep: string }> {
  const mode = rng.next();
  if (mode < 0.45) {
    const seed = rng.pick(seeds.files);
    const { bytes, what } = mutateBytes(seed, rng, seeds.files);
    const file = `${where}.tar`;
    await writeFile(file, bytes);
    const prefix = rng.pick(['', '', '', 'docker-archive:', 'oci-archive:']);
    return { reference: `${prefix}${file}`, mutation: `archive ${what}`, keep: file };
  }
  if (mode < 0.85) {
    const count = 1 + rng.int(3);
    const layers: RawLayer[] = [];
    const done: string[] = [];
    const target = rng.int(count);
    for (let i = 0; i < count; i++) {
      let tar = rng.pick(seeds.layers);
      if (i === target) {
        const mutated = mutateBytes(tar, rng, seeds.layers);
        tar = mutated.bytes;
        done.push(`layer ${i} ${mutated.what}`);
      }
      const compression = rng.pick(['none', 'none', 'gzip', 'zstd'] as const);
      layers.push(compression === 'none' ? { tar } : { tar, compression });
    }
    const file = `${where}.tar`;
    await writeRawDockerArchive(layers, {}, file);
    return { reference: file, mutation: done.join('; '), keep: file };
  }
  if (mode < 0.93) {
    const layers: RawLayer[] = [{ tar: rng.pick(seeds.layers) }, { tar: rng.pick(seeds.layers) }];
    const config = {
      architecture: 'amd64',
      os: 'linux',
      config: { User: 'app', Env: ['PATH=/bin'] },
      rootfs: { type: 'layers', diff_ids: [] as string[] },
      history: [{ created_by: 'a' }, { created_by: 'b', empty_layer: true }, { created_by: 'c' }],
    };
    const { createHash } = await import('node:crypto');
    config.rootfs.diff_ids = layers.map((l) => `sha256:${createHash('sha256').update(l.tar).digest('hex')}`);
    const mutated = mutateJson(config, rng);
    const file = `${where}.tar`;
    const manifestMutation = rng.chance(0.3);
    if (manifestMutation) {
      // manifest.json itself: its config name is kept pointing at the real config.
      const configBytes = Buffer.from(JSON.stringify(config));
      const name = `${createHash('sha256').update(configBytes).digest('hex')}.json`;
      const layerNames = layers.map((l) => `${createHash('sha256').update(l.tar).digest('hex')}.tar`);
      const manifest = mutateJson([{ Config: name, RepoTags: ['x:1'], Layers: layerNames }], rng);
      await writeRawDockerArchive(
        layers,
        { configBytes, manifestBytes: Buffer.from(JSON.stringify(manifest.value) ?? '') },
        file,
      );
      return { reference: file, mutation: `manifest.json ${manifest.what}`, keep: file };
    }
    await writeRawDockerArchive(
      layers,
      { configBytes: Buffer.from(JSON.stringify(mutated.value) ?? '') },
      file,
    );
    return { reference: file, mutation: `config ${mutated.what}`, keep: file };
  }
  const dir = `${where}-layout`;
  await cp(seeds.ociLayout, dir, { recursive: true });
  const target = rng.pick(['config', 'manifest', 'indexEntry'] as const);
  let what = '';
  const edit = (value: Record<string, unknown>): unknown => {
    const mutated = mutateJson(value, rng);
    what = mutated.what;
    return mutated.value;
  };
  await editOciLayout(dir, { [target]: edit });
  return { reference: `oci:${dir}`, mutation: `oci ${target} ${what}`, keep: dir };
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const rng = new Random(prng(options.seed));
  const seeds = await prepareSeeds(options);
  const scratch = join(options.workDir, 'inputs');
  const kept = join(options.workDir, 'findings');
  await mkdir(scratch, { recursive: true });
  await mkdir(kept, { recursive: true });
  const report: FuzzReport = {
    iterations: 0,
    seconds: 0,
    analyzed: 0,
    refused: 0,
    refusals: new Map(),
    findings: [],
  };
  let current = { iteration: 0, mutation: '', keep: '' };
  const onUnhandled = (reason: unknown): void => {
    report.findings.push({
      kind: 'unhandled',
      iteration: current.iteration,
      mutation: current.mutation,
      message: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason),
      input: current.keep,
    });
  };
  process.on('unhandledRejection', onUnhandled);
  const started = Date.now();
  const deadline = options.seconds === undefined ? Infinity : started + options.seconds * 1000;
  const limit = options.iterations ?? Infinity;
  try {
    for (let i = 0; i < limit && Date.now() < deadline; i++) {
      const input = await makeInput(seeds, rng, join(scratch, `input-${i}`));
      current = { iteration: i, mutation: input.mutation, keep: input.keep };
      const outcome = await withTimeout(
        analyzeImage(input.reference, { concurrency: 2 }).then(
          () => null,
          (err: unknown) => err,
        ),
        options.timeoutMs,
      );
      report.iterations += 1;
      let finding: FuzzFinding['kind'] | null = null;
      let message = '';
      if (outcome === 'timeout') {
        finding = 'hang';
        message = `no answer within ${options.timeoutMs} ms`;
      } else if (outcome === null) {
        report.analyzed += 1;
      } else {
        const failure = describeFailure(outcome, true);
        if (failure.exitCode === EXIT_CODES.bug) {
          finding = 'bug';
          message = failure.line;
        } else {
          report.refused += 1;
          const key = shape(failure.line);
          report.refusals.set(key, (report.refusals.get(key) ?? 0) + 1);
        }
      }
      if (finding !== null) {
        const keep = join(
          kept,
          `${finding}-${options.seed}-${i}${input.reference.startsWith('oci:') ? '' : '.tar'}`,
        );
        await cp(input.keep, keep, { recursive: true });
        report.findings.push({ kind: finding, iteration: i, mutation: input.mutation, message, input: keep });
      }
      if (finding !== 'hang') await rm(input.keep, { recursive: true, force: true });
    }
  } finally {
    // Late rejections of the last input still count.
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', onUnhandled);
    report.seconds = (Date.now() - started) / 1000;
  }
  return report;
}
