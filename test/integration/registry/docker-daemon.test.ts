import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingToolsReason } from '../../helpers/host-features.js';
import { type WrittenImage, noise, writeTestLayout } from '../../helpers/registry-images.js';
import { expectOneLineError, runCli } from '../../helpers/run-cli.js';
import { cleanupTempDirs, tempDir } from '../../helpers/temp.js';

const run = promisify(execFile);
const skip = missingToolsReason('docker-daemon tests', ['podman', 'skopeo']);

describe.skipIf(skip !== null)('docker-daemon: through podman system service on a unix socket', () => {
  let work: string;
  let podmanArgs: string[];
  let service: ChildProcess;
  let socket: string;
  let image: WrittenImage;

  beforeAll(async () => {
    work = await tempDir('imgscope-daemon-');
    podmanArgs = [
      '--root',
      join(work, 'root'),
      '--runroot',
      join(work, 'run'),
      '--storage-driver',
      'vfs',
      '--cgroup-manager',
      'cgroupfs',
      '--events-backend',
      'none',
    ];
    image = await writeTestLayout(join(work, 'img'), {
      user: '4242',
      layers: [
        { files: { 'usr/bin/tool': noise(50_000, 4) } },
        { files: { 'usr/bin/tool': noise(60_000, 5) } },
      ],
    });
    const store = `containers-storage:[vfs@${join(work, 'root')}+${join(work, 'run')}]localhost/daemon/app:1`;
    await run('skopeo', ['copy', '--quiet', '--insecure-policy', `oci:${join(work, 'img')}:latest`, store]);
    socket = join(work, 'podman.sock');
    service = spawn('podman', [...podmanArgs, 'system', 'service', '--time=0', `unix://${socket}`], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60_000; // a watchdog: the service starts in a second or two
    for (;;) {
      try {
        accessSync(socket);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error('podman system service did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }, 120_000);

  afterAll(async () => {
    if (service?.pid !== undefined && service.exitCode === null) {
      const exited = new Promise((r) => service.once('exit', r));
      process.kill(service.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await cleanupTempDirs();
  });

  it('analyzes an image the daemon exports with GET /images/NAME/get', async () => {
    const result = await runCli(['analyze', 'docker-daemon:localhost/daemon/app:1', '--json'], {
      DOCKER_HOST: `unix://${socket}`,
      HOME: work,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.image.source).toBe('docker-daemon');
    expect(report.image.id).toBe(image.configDigest);
    expect(report.image.user).toBe('4242');
    expect(report.image.layerCount).toBe(2);
    expect(report.efficiency.wastedBytes).toBe(110_000);
  });

  it('says when the daemon has no such image (exit 2) or is not there (exit 3)', async () => {
    const missing = await runCli(['analyze', 'docker-daemon:localhost/nope:1'], {
      DOCKER_HOST: `unix://${socket}`,
      HOME: work,
    });
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing)).toMatch(/image localhost\/nope:1 not found in the Docker daemon/);
    const down = await runCli(['analyze', 'docker-daemon:localhost/daemon/app:1'], {
      DOCKER_HOST: `unix://${join(work, 'no.sock')}`,
      HOME: work,
    });
    expect(down.code).toBe(3);
    expect(expectOneLineError(down)).toMatch(/cannot reach the Docker daemon at .*no\.sock: ENOENT/);
  });
});
