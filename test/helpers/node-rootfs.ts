/**
 * A container base image made from this host's Node, for building the Dockerfile where no base
 * image can be pulled: node, npm, /bin/sh and /usr/bin/env with the shared libraries they load,
 * and the CA bundles, copied into a directory and committed FROM scratch with buildah.
 */
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where buildah keeps this test's images: its own storage, removed with the temp dir. */
export function buildahArgs(storage: string): string[] {
  return ['--root', join(storage, 'root'), '--runroot', join(storage, 'run'), '--storage-driver', 'vfs'];
}

export async function buildah(storage: string, args: string[], cwd?: string): Promise<string> {
  const { stdout } = await run('buildah', [...buildahArgs(storage), ...args], {
    cwd,
    env: { ...process.env, BUILDAH_ISOLATION: 'chroot' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  return [...stdout.matchAll(/(\/[^\s:]+)/g)].map((m) => m[1]!).filter((path) => path !== binary);
}

/** Builds the image `tag` from the host's Node in `storage`; returns the CA bundle path inside it, if any. */
export async function buildNodeBase(work: string, storage: string, tag: string): Promise<void> {
  const rootfs = join(work, 'rootfs');
  const node = await realpath(process.execPath);
  const programs = [node, await realpath('/bin/sh'), await realpath('/usr/bin/env')];
  const files = new Set<string>();
  for (const program of programs) {
    files.add(program);
    for (const library of await sharedLibraries(program)) files.add(library);
  }
  for (const file of files) {
    await mkdir(join(rootfs, dirname(file)), { recursive: true });
    await copyFile(await realpath(file), join(rootfs, file));
  }
  for (const [path, target] of [
    ['/usr/bin/node', node],
    ['/bin/sh', await realpath('/bin/sh')],
    ['/usr/bin/env', await realpath('/usr/bin/env')],
  ] as const) {
    if (path !== target) {
      await mkdir(join(rootfs, dirname(path)), { recursive: true });
      await symlink(target, join(rootfs, path)).catch(() => undefined);
    }
  }
  const npm = await realpath(join(dirname(process.execPath), 'npm')).catch(
    () => '/usr/lib/node_modules/npm/bin/npm-cli.js',
  );
  const npmRoot = npm.replace(/\/bin\/npm-cli\.js$/, '');
  await cp(npmRoot, join(rootfs, '/usr/lib/node_modules/npm'), { recursive: true, dereference: true });
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, '/usr/bin/npm')).catch(
    () => undefined,
  );
  await cp('/etc/ssl/certs', join(rootfs, '/etc/ssl/certs'), { recursive: true, dereference: true });
  await mkdir(join(rootfs, 'tmp'), { recursive: true, mode: 0o1777 });
  await writeFile(join(work, 'Containerfile'), 'FROM scratch\nCOPY . /\n');
  await buildah(storage, ['build', '--quiet', '-f', join(work, 'Containerfile'), '-t', tag, rootfs]);
}
