// Real rpm packages installed by rpm itself, for the truth test of the rpm inventory: spec files
// built with rpmbuild, installed with `rpm --root` into a tree whose database is rpm's SQLite
// backend, and queried back with `rpm -qa` / `rpm -ql` as the truth.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RPM_DBPATH = '/usr/lib/sysimage/rpm';

/** Why the real-rpm test cannot run here, or null when rpm and rpmbuild are there. */
export function rpmToolsBlocker(): string | null {
  for (const tool of ['rpm', 'rpmbuild']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0)
      return `${tool} is not installed (.ci/install-registry-deps.sh installs the rpm package)`;
  }
  return null;
}

export interface SpecFile {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  requires?: string[];
  /** Files with their sizes (zero bytes, so they compress to nothing in the package). */
  files: [string, number][];
}

function specText(spec: SpecFile): string {
  const dirs = [...new Set(spec.files.map(([path]) => path.slice(0, path.lastIndexOf('/'))))];
  return [
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Release: ${spec.release}`,
    ...(spec.epoch === undefined ? [] : [`Epoch: ${spec.epoch}`]),
    ...(spec.requires ?? []).map((required) => `Requires: ${required}`),
    'Summary: imgscope test package',
    'License: MIT',
    'BuildArch: noarch',
    '%description',
    'A package for the rpm inventory test.',
    '%install',
    ...dirs.map((dir) => `mkdir -p %{buildroot}${dir}`),
    ...spec.files.map(([path, size]) => `head -c ${size} /dev/zero > %{buildroot}${path}`),
    '%files',
    ...spec.files.map(([path]) => path),
  ].join('\n');
}

/** Builds `spec` with rpmbuild under `top`; returns the .rpm file. */
export async function buildRpm(top: string, spec: SpecFile): Promise<string> {
  const file = join(top, 'SPECS', `${spec.name}-${spec.version}.spec`);
  await mkdir(join(top, 'SPECS'), { recursive: true });
  await writeFile(file, specText(spec));
  execFileSync('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, file], { stdio: 'pipe' });
  const release = `${spec.name}-${spec.version}-${spec.release}.noarch.rpm`;
  return join(top, 'RPMS', 'noarch', release);
}

/** `rpm ARGS` against the SQLite database of the tree at `root`. */
export function rpmIn(root: string, args: string[]): string {
  return execFileSync(
    'rpm',
    ['--root', root, '--dbpath', RPM_DBPATH, '--define', '_db_backend sqlite', ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
