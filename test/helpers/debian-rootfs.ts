// Builds real Debian root filesystems for the package tests: a minimal bookworm from
// debootstrap, then the same packages installed twice in chroots, with and without
// --no-install-recommends (lists and caches cleaned the same way in both, as a Dockerfile
// would). The result is cached in a temp directory keyed by the day and the package set, so a
// run builds it once; the mirror is the one this machine's apt uses (never a name in the code).
// A cold build runs debootstrap once and downloads each package once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEBIAN_SUITE = 'bookworm';

export interface DebianTrees {
  /** debootstrap --variant=minbase, then apt-get clean. */
  base: string;
  /** base + `apt-get install --no-install-recommends PACKAGES`. */
  withoutRecommends: string;
  /** base + `apt-get install PACKAGES`. */
  withRecommends: string;
  /** The RUN line of the install step, as a Dockerfile would have it. */
  installCommand: (recommends: boolean) => string;
}

/** Skip (locally, saying why) or fail (in CI, where CI is set) when the Debian tests cannot run. */
export function debianTestsSkipReason(): string | null {
  const blocker = debianTestBlocker();
  if (blocker === null) return null;
  if (process.env.CI) throw new Error(`Debian package tests must run in CI but ${blocker}`);
  console.warn(`skipping the Debian package tests: ${blocker}`);
  return blocker;
}

/** Why the Debian tests cannot run here, or null when they can. */
function debianTestBlocker(): string | null {
  if (spawnSync('sh', ['-c', 'command -v debootstrap'], { stdio: 'ignore' }).status !== 0)
    return 'debootstrap is not installed (.ci/install-registry-deps.sh installs it)';
  if (spawnSync('sh', ['-c', 'command -v dpkg-query'], { stdio: 'ignore' }).status !== 0)
    return 'dpkg-query is not installed';
  if (process.getuid?.() !== 0) return 'debootstrap and chroot need root';
  if (aptMirror() === null) return `no ${DEBIAN_SUITE} mirror in /etc/apt/sources.list*`;
  return null;
}

/**
 * The first `deb` mirror this machine's apt configuration uses for the suite's main component
 * (one-line .list files and deb822 .sources files).
 */
export function aptMirror(): string | null {
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) for (const name of readdirSync(dir).sort()) files.push(join(dir, name));
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.sources')) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name: string) =>
          new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];
        if (field('Enabled')[0] === 'no' || !field('Types').includes('deb')) continue;
        if (field('Suites').includes(DEBIAN_SUITE) && field('Components').includes('main'))
          return field('URIs')[0] ?? null;
      }
    } else if (file.endsWith('.list')) {
      for (const line of text.split('\n')) {
        const words = line
          .replace(/\[[^\]]*\]/, '')
          .trim()
          .split(/\s+/);
        if (words[0] === 'deb' && words[2] === DEBIAN_SUITE && words.slice(3).includes('main'))
          return words[1] ?? null;
      }
    }
  }
  return null;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      // DPKG_FORCE=unsafe-io: dpkg skips its fsync before each rename (a throw-away tree needs no
      // crash safety), which is most of an install's time on a busy disk. TMPDIR=/tmp: the
      // host's TMPDIR does not exist inside the chroot (ca-certificates' postinst fails there).
      env: {
        ...process.env,
        DEBIAN_FRONTEND: 'noninteractive',
        LC_ALL: 'C',
        DPKG_FORCE: 'unsafe-io',
        TMPDIR: '/tmp',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr}`)),
    );
  });
}

const CLEAN = 'apt-get clean && rm -rf /var/lib/apt/lists/*';

function installOnly(packages: readonly string[], recommends: boolean): string {
  const flag = recommends ? '' : ' --no-install-recommends';
  return `apt-get update -qq && apt-get install -y -qq${flag} ${packages.join(' ')}`;
}

function installScript(packages: readonly string[], recommends: boolean): string {
  return `${installOnly(packages, recommends)} && ${CLEAN}`;
}

/** The trees for `packages`, built on first use (a few minutes) and reused for the day. */
export async function debianTrees(packages: readonly string[]): Promise<DebianTrees> {
  const mirror = aptMirror();
  if (mirror === null) throw new Error(`no ${DEBIAN_SUITE} mirror configured`);
  const day = new Date().toISOString().slice(0, 10);
  const dir = join(tmpdir(), 'imgscope-debian-cache', `${DEBIAN_SUITE}-${day}-${packages.join('+')}`);
  const trees: DebianTrees = {
    base: join(dir, 'base'),
    withoutRecommends: join(dir, 'without-recommends'),
    withRecommends: join(dir, 'with-recommends'),
    installCommand: (recommends) => `/bin/sh -c ${installScript(packages, recommends)}`,
  };
  if (existsSync(join(dir, 'complete'))) return trees;
  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const base = join(staging, 'base');
    await run('debootstrap', ['--variant=minbase', DEBIAN_SUITE, base, mirror]);
    await run('chroot', [base, 'apt-get', 'clean']);
    // With recommends first: its lists and downloaded packages (a superset) seed the other
    // tree's apt, so the second install downloads nothing; both end with the same clean-up.
    const withRecommends = join(staging, 'with-recommends');
    const withoutRecommends = join(staging, 'without-recommends');
    await run('cp', ['-a', base, withRecommends]);
    await run('chroot', [withRecommends, 'sh', '-c', installOnly(packages, true)]);
    await run('cp', ['-a', base, withoutRecommends]);
    for (const cache of ['var/lib/apt/lists', 'var/cache/apt/archives'])
      await run('cp', ['-a', `${withRecommends}/${cache}/.`, `${withoutRecommends}/${cache}/`]);
    await run('chroot', [withRecommends, 'sh', '-c', CLEAN]);
    await run('chroot', [withoutRecommends, 'sh', '-c', installScript(packages, false)]);
    await mkdir(join(staging, 'complete'));
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return trees;
}
