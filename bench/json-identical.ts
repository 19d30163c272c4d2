/**
 * Proves a change to the layer reader left `analyze --format json` and `packages --format json`
 * byte-identical: records the outputs of a built CLI for every fixture, dive's images, the bench
 * images that exist under .bench/ and the hostile catalogue's accepted cases, then compares a
 * later run of this checkout's CLI with them. Each output is made twice, with the layer-result
 * cache and with `--no-cache` (which reads every layer, and hashes large bodies only where they
 * are compared): the two must be the same, or the run fails.
 *
 *   (in a checkout of the old code)     npm run build
 *   node --import tsx bench/json-identical.ts record /tmp/json-before /path/to/old-checkout
 *   (here, after the change)            npm run build
 *   node --import tsx bench/json-identical.ts compare /tmp/json-before
 *
 * The images are named relative to this checkout either way, so both runs read the same files.
 * Exit 0 when every output (stdout, stderr and exit code) is the same; 1 with the differences.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [mode, dirArgument, cliArgument] = process.argv.slice(2);
if ((mode !== 'record' && mode !== 'compare') || dirArgument === undefined) {
  console.error('usage: json-identical.ts record DIR [CLI_CHECKOUT] | compare DIR');
  process.exit(2);
}
const dir = resolve(dirArgument);
/** The checkout whose built CLI records (this one unless named). */
const cliRoot = resolve(mode === 'record' ? (cliArgument ?? '.') : '.');

/** Image arguments, relative to the project root so two checkouts name them alike. */
function images(): string[] {
  const found = [
    ...readdirSync('fixtures')
      .filter((name) => name.endsWith('.tar'))
      .map((name) => `fixtures/${name}`),
    ...readdirSync('fixtures/dive')
      .filter((name) => name.endsWith('.tar'))
      .map((name) => `fixtures/dive/${name}`),
  ];
  // The bench images live outside the checkout when BENCH_DIR says so (one copy for both runs).
  const bench = resolve(process.env['BENCH_DIR'] ?? '.bench');
  const candidates = [
    join(bench, 'large.tar'),
    `oci:${join(bench, 'large-oci')}`,
    join(bench, 'debian/docker-archive.tar'),
    `oci:${join(bench, 'debian/oci-gzip')}`,
    `oci:${join(bench, 'debian/oci-zstd')}`,
  ];
  for (const image of candidates) if (existsSync(image.replace(/^oci:/, ''))) found.push(image);
  return found;
}

/** Records every output into `into`; returns how many differed between the cache and `--no-cache`. */
function record(into: string): number {
  mkdirSync(join(into, 'images'), { recursive: true });
  mkdirSync(join(into, 'hostile'), { recursive: true });
  let uncachedDifferences = 0;
  for (const image of images()) {
    for (const command of ['analyze', 'packages']) {
      const output = (...extra: string[]): string => {
        const run = spawnSync(
          process.execPath,
          [join(cliRoot, 'bin/run.js'), command, image, '--format', 'json', ...extra],
          { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } },
        );
        return `exit ${run.status}\n${run.stderr}\n${run.stdout}`;
      };
      const name = `${command}-${image.replace(/[^a-z0-9.]+/gi, '-')}`;
      const cached = output();
      writeFileSync(join(into, 'images', `${name}.out`), cached);
      const uncached = output('--no-cache');
      if (uncached !== cached) {
        writeFileSync(join(into, 'images', `${name}.no-cache.out`), uncached);
        console.log(
          `DIFFERENT with --no-cache: ${command} ${image} (${join(into, 'images', `${name}.no-cache.out`)})`,
        );
        uncachedDifferences++;
      }
      console.log(`${command} ${image}: ${cached.slice(0, cached.indexOf('\n'))}`);
    }
  }
  const hostile = spawnSync('npx', ['vitest', 'run', 'test/integration/hostile-catalogue.test.ts'], {
    encoding: 'utf8',
    env: { ...process.env, HOSTILE_OUTPUTS: join(into, 'hostile'), IMGSCOPE_CLI_ROOT: cliRoot },
  });
  console.log(`hostile catalogue: exit ${hostile.status}`);
  return uncachedDifferences;
}

function files(root: string): string[] {
  return ['images', 'hostile'].flatMap((sub) =>
    existsSync(join(root, sub)) ? readdirSync(join(root, sub)).map((name) => join(sub, name)) : [],
  );
}

if (mode === 'record') {
  process.exit(record(dir) === 0 ? 0 : 1);
} else {
  const now = mkdtempSync(join(tmpdir(), 'json-identical-'));
  const uncachedDifferences = record(now);
  const before = files(dir);
  const after = new Set(files(now));
  let differences = 0;
  for (const name of before) {
    if (!after.has(name)) {
      console.log(`missing now: ${name}`);
      differences++;
    } else if (!readFileSync(join(dir, name)).equals(readFileSync(join(now, name)))) {
      console.log(`DIFFERENT: ${name} (compare ${join(dir, name)} ${join(now, name)})`);
      differences++;
    }
    after.delete(name);
  }
  for (const name of after) console.log(`new (not compared): ${name}`);
  console.log(`${before.length - differences} of ${before.length} outputs identical`);
  console.log(`${uncachedDifferences} outputs different with --no-cache`);
  process.exit(differences === 0 && uncachedDifferences === 0 ? 0 : 1);
}
